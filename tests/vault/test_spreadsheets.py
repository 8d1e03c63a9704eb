"""Downloads that stream: rows are read only as the file is sent, a group at a time."""

import io

from openpyxl import load_workbook

from vault.spreadsheets import STREAM_ROWS, streaming_table_response


def _counted(total: int, read: list) -> object:
    for n in range(total):
        read.append(n)
        yield [f"技能者{n}", n, "=HYPERLINK()" if n == 3 else "ok"]


def test_it_reads_csv_rows_only_as_the_file_is_sent():
    read = []
    response = streaming_table_response("csv", ["氏名", "番号", "備考"], _counted(5000, read),
                                        "名簿", "名簿")  # fmt: skip
    assert response.streaming and read == []
    chunks = iter(response.streaming_content)
    first = next(chunks).decode()
    assert first.startswith("\ufeff氏名,番号,備考\r\n技能者0,0,ok")
    assert len(read) <= STREAM_ROWS + 1
    rest = b"".join(chunks).decode()
    assert len(read) == 5000 and "技能者4999,4999,ok" in rest
    assert "'=HYPERLINK()" in first
    assert response["Content-Disposition"].endswith("%E5%90%8D%E7%B0%BF.csv")


def test_it_writes_an_excel_workbook_row_by_row_only_when_sent():
    read = []
    response = streaming_table_response("xlsx", ["氏名", "番号", "備考"], _counted(3000, read),
                                        "名簿", "駅前ビル新築")  # fmt: skip
    assert response.streaming and read == []
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert len(read) == 3000
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("氏名", "番号", "備考") and sheet["A1"].font.bold
    assert rows[4] == ("技能者3", 3, "'=HYPERLINK()") and len(rows) == 3001
    assert sheet.title == "駅前ビル新築" and sheet.freeze_panes == "A2"
