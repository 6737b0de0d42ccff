"""`python -m erp_console`: run the console (screens + sign-in + user API) on port 8100."""

from erp_console.bootstrap import SERVICE, serve
from eventkit.settings import load_settings

if __name__ == "__main__":
    serve(load_settings(SERVICE))
