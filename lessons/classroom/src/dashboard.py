# %% [markdown] lang="es"
# # attnlab · panel de clase

# %% [markdown] lang="en"
# # attnlab · classroom dashboard

# %%
# es: `attnlab classroom` sirve este cuaderno con Voilà: solo se ven los widgets y las figuras | en: `attnlab classroom` serves this notebook with Voilà: only the widgets and figures show
from attnlab.classroom.dashboard import dashboard

LANG = "en"
tab = dashboard(LANG)
