"""The console's own domain: the people who use the ERP (users, roles). Pure, no IO."""
