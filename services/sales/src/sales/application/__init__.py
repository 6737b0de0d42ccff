"""Command handlers (get → decide → save) and policies (``on_<event>``) of sales."""
