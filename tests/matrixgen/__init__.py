"""The Word/PDF matrix: the official Word template filled with the real
values of the labelled corpus, varied as producers vary it (fonts, pages,
borders, furniture, cell text), converted by LibreOffice and Chromium.

Everything this package makes is synthetic (real numbers in generated
files) and says so. `bench/matrix.py` runs the whole matrix; the tests use
the committed sample in tests/fixtures/matrix/ and small files built here.
"""
