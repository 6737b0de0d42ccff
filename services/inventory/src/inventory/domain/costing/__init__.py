"""Costing methods other than the moving average: FIFO layers and the month-end
(periodic) weighted average. The moving average itself lives in ``valuation``."""
