"""HTTP (FastAPI) and Kafka (FastStream) entrypoints of purchasing."""
