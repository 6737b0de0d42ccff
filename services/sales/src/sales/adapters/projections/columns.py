"""Column types shared by the sales read models."""

from sqlalchemy import Numeric

QTY = Numeric(24, 6)
PRICE = Numeric(24, 6)
MONEY = Numeric(24, 2)
RATE = Numeric(7, 4)
