import pyarrow as pa
import pyarrow.parquet as pq


def make(tmp_path, release):
    table = pq.read_table(release / "events.parquet")
    index = table.schema.get_field_index("summary_en")
    table = table.set_column(index, "summary_en", pa.array(["x" * (20 << 20)] * table.num_rows))
    path = tmp_path / "events.parquet"
    pq.write_table(table, path, compression="zstd")
    return path
