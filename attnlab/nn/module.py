"""``Module``: parameters, their gradients and the cache of the last forward. No maths here.

A module owns ``params`` and ``grads``: two dicts with the same keys (torch's state_dict names
where a torch twin exists). Child modules assigned as attributes are registered like in torch,
so a model's keys read ``layers.0.norm.weight``. ``forward`` keeps what ``backward`` needs;
``backward(dout)`` returns the input gradient and **adds** parameter gradients into ``grads``
(call ``zero_grad()`` between steps, as in torch).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from .._validate import check_float_dtype, check_state_value


class Module:
    """Base class: holds parameters (``_params``) and child modules (``_modules``)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_params", {})
        object.__setattr__(self, "_grads", {})
        object.__setattr__(self, "_modules", {})

    # -- registration ------------------------------------------------------------------------
    def __setattr__(self, name: str, value) -> None:
        """``self.child = Linear(...)`` registers a module; ``self.weight = W`` sets a parameter.

        Assigning to a parameter's name copies ``W`` into the parameter through
        :meth:`set_param` (same shape, finite real numbers; cast to its dtype): params, grads,
        optimizers and state_dict keep seeing the one array the forward uses.
        """
        if name in self.__dict__.get("_params", {}):
            self.set_param(name, value)
            return
        if isinstance(value, Module):
            self._modules[name] = value
        elif name in self.__dict__.get("_modules", {}):
            raise TypeError(
                f"{type(self).__name__}.{name} is a child module: assign a Module, "
                f"got {type(value).__name__}"
            )
        object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: parameters read as attributes (self.weight).
        params = self.__dict__.get("_params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def add_param(self, name: str, value: np.ndarray) -> np.ndarray:
        """Register a parameter (and a zero gradient of the same shape) under ``name``."""
        value = np.ascontiguousarray(value)
        check_float_dtype(value.dtype, f"parameter {name!r} dtype")
        self._params[name] = value
        self._grads[name] = np.zeros_like(value)
        return value

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}{name}.")

    def _owner(self, key: str) -> tuple[Module, str]:
        """The module that holds the parameter ``key`` and its local name."""
        module = self
        *path, local = key.split(".")
        for part in path:
            if part not in module._modules:
                raise KeyError(key)
            module = module._modules[part]
        if local not in module._params:
            raise KeyError(key)
        return module, local

    def last_cache(self):
        """The cache of the last forward, or a RuntimeError naming this module if none ran."""
        cache = self.__dict__.get("cache")
        if cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward was called before forward: run forward first "
                f"(it keeps what backward needs)"
            )
        return cache

    # -- parameters and gradients -------------------------------------------------------------
    @property
    def params(self) -> dict[str, np.ndarray]:
        """Every parameter, by its dotted name. The arrays are the module's own (not copies)."""
        out = {}
        for prefix, m in self.named_modules():
            for name, p in m._params.items():
                out[prefix + name] = p
        return out

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """The gradients, with the same keys as :attr:`params`."""
        out = {}
        for prefix, m in self.named_modules():
            for name, g in m._grads.items():
                out[prefix + name] = g
        return out

    def set_param(self, key: str, value) -> None:
        """Copy ``value`` into parameter ``key`` (validated like :meth:`load_state_dict`)."""
        self._owner(key)  # KeyError for a name that is not a parameter
        self.load_state_dict({key: value}, strict=False)

    def zero_grad(self) -> None:
        for g in self.grads.values():
            g.fill(0.0)

    def num_parameters(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    @property
    def dtype(self) -> np.dtype:
        dtypes = {p.dtype for p in self.params.values()}
        return dtypes.pop() if len(dtypes) == 1 else np.dtype(np.float64)

    def astype(self, dtype) -> Module:
        """Cast every parameter (and gradient) to ``dtype`` (float32 or float64); returns self."""
        dtype = check_float_dtype(dtype)
        for _, m in self.named_modules():
            for name in m._params:
                m._params[name] = m._params[name].astype(dtype)
                m._grads[name] = m._grads[name].astype(dtype)
        return self

    # -- saving and loading -------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter, by name."""
        return {k: v.copy() for k, v in self.params.items()}

    def load_state_dict(self, state: Mapping, strict: bool = True) -> None:
        """Copy arrays (or torch tensors) into the parameters: all of them or none.

        Every entry is checked before any is written. Raises KeyError listing missing and
        unexpected keys (when ``strict``), ValueError listing mis-shaped ones, and, naming the
        key, TypeError for values that are not real numbers (bool, complex, None, strings)
        and ValueError for NaN, inf or values too large for the parameter's dtype.
        torch bfloat16 tensors are read through float32 (exact).
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"state must be a mapping of parameter names to arrays (a dict, or a torch "
                f"state_dict), got {type(state).__name__}"
            )
        params = self.params
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if strict and (missing or unexpected):
            raise KeyError(
                f"state_dict does not match {type(self).__name__}: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        values = {k: check_state_value(state[k], k, params[k]) for k in params if k in state}
        for k, value in values.items():  # everything checked: now write
            np.copyto(params[k], value)

    def load_torch_state_dict(self, state: Mapping, strict: bool = True) -> None:
        """Load a torch ``state_dict()`` (tensors or arrays) saved from the torch twin."""
        self.load_state_dict(state, strict=strict)

    # -- running ------------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for name, child in self._modules.items():
            lines.append(f"  ({name}): " + repr(child).replace("\n", "\n  "))
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"


class ModuleList(Module):
    """A list of modules registered as ``0``, ``1``, ... (torch's ``nn.ModuleList``)."""

    def __init__(self, modules=()) -> None:
        super().__init__()
        self._items: list[Module] = []
        for m in modules:
            self.append(m)

    def append(self, module: Module) -> None:
        self._modules[str(len(self._items))] = module
        self._items.append(module)

    def __getitem__(self, i: int) -> Module:
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)
