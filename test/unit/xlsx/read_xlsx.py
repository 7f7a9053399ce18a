"""Independent reader for the xlsx tests: dumps a workbook as JSON on stdout.

Usage: python3 read_xlsx.py FILE.xlsx

Uses openpyxl (Debian: python3-openpyxl) for the cells and Python's zipfile for the container:
{
  "zip": {"testzip": null | "<first bad entry>", "entries": [{"name", "compress_type",
          "flag_bits", "date_time", "file_size", "compress_size", "crc"}]},
  "parts": {"<name>": "<text>"}        # every XML part, for checks on the raw markup
  "sheets": [{"name", "dimension", "max_row", "max_column",
              "rows": [[[data_type, python_type, value], ...], ...]}]
}
Floats that are whole numbers stay floats in Python; python_type tells int from float.
"""
import json
import sys
import zipfile

import openpyxl


def main(path):
    with zipfile.ZipFile(path) as archive:
        container = {
            # Reads every entry and checks its CRC-32; None when all are intact.
            "testzip": archive.testzip(),
            "entries": [
                {
                    "name": info.filename,
                    "compress_type": info.compress_type,
                    "flag_bits": info.flag_bits,
                    "date_time": list(info.date_time),
                    "file_size": info.file_size,
                    "compress_size": info.compress_size,
                    "crc": info.CRC,
                }
                for info in archive.infolist()
            ],
        }
        parts = {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        }

    workbook = openpyxl.load_workbook(path)
    sheets = []
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows():
            rows.append([[cell.data_type, type(cell.value).__name__, cell.value] for cell in row])
        sheets.append(
            {
                "name": sheet.title,
                "dimension": sheet.dimensions,
                "max_row": sheet.max_row,
                "max_column": sheet.max_column,
                "rows": rows,
            }
        )
    json.dump({"zip": container, "parts": parts, "sheets": sheets}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
