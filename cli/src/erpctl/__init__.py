"""erpctl: the `erp` command that runs and operates the local 进销存 ERP stack."""
