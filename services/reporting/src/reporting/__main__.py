"""`python -m reporting`: run the service (HTTP + Kafka) with settings from the environment."""

from eventkit.runtime import serve
from eventkit.settings import load_settings
from reporting.bootstrap import SERVICE, blueprint

if __name__ == "__main__":
    serve(blueprint(), load_settings(SERVICE))
