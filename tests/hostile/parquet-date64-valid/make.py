def make(tmp_path, release):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(release / "events.parquet")
    i = table.schema.get_field_index("date_start")
    values = pa.array([dt.date(2021, 12, 9)] * table.num_rows, pa.date64())
    table = table.set_column(i, pa.field("date_start", values.type), values)
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    return path
