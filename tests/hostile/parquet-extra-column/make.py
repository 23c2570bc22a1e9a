import pyarrow as pa
import pyarrow.parquet as pq


def make(tmp_path, release):
    table = pq.read_table(release / "events.parquet")
    path = tmp_path / "events.parquet"
    pq.write_table(table.append_column("extra", pa.array([1] * table.num_rows)), path)
    return path
