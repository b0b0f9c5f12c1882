"""Rujukan: learn from Kota Kediri's documented smart-city practices.

The core package: records, index, search and the command line. It never imports streamlit.
"""

__version__ = "0.1.0"
