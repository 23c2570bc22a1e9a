def mutate(release, helpers):
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    text = release / "sources" / "src-fixture.txt"
    data = text.read_text(encoding="utf-8").encode("cp1256", errors="replace")
    text.write_bytes(data)
    table = pq.read_table(release / "sources.parquet")
    i = table.schema.get_field_index("text_sha256")
    table = table.set_column(i, table.schema.field(i), pa.array([hashlib.sha256(data).hexdigest()] * table.num_rows))
    pq.write_table(table, release / "sources.parquet")
    for name in ("sources/src-fixture.txt", "sources.parquet"):
        helpers.rehash(release, name)
