def make(tmp_path, release):
    import pyarrow.parquet as pq

    table = pq.read_table(release / "events.parquet")
    table = table.rename_columns(["summary_en" if n == "summary_ar" else n for n in table.column_names])
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    return path
