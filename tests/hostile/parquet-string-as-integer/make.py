def make(tmp_path, release):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(release / "places.parquet")
    i = table.schema.get_field_index("name_en")
    table = table.set_column(i, pa.field("name_en", pa.int64()), pa.array([1] * table.num_rows, pa.int64()))
    path = tmp_path / "places.parquet"
    pq.write_table(table, path)
    return path
