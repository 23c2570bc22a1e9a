def make(tmp_path, release):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(release / "events.parquet")
    i = table.schema.get_field_index("date_prec")
    table = table.set_column(i, pa.field("date_prec", pa.int64()), pa.array([300] * table.num_rows, pa.int64()))
    path = tmp_path / "events.parquet"
    pq.write_table(table, path)
    return path
