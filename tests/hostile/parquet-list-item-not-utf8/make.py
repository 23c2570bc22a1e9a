import pyarrow as pa
import pyarrow.parquet as pq


def make(tmp_path, release):
    table = pq.read_table(release / "actors.parquet")
    index = table.schema.get_field_index("aliases_en")
    items = pa.array([b"ok", b"\xc3("], pa.binary()).view(pa.string())
    lists = pa.ListArray.from_arrays(pa.array([0, 0, 2, 2][: table.num_rows + 1], pa.int32()), items)
    path = tmp_path / "actors.parquet"
    pq.write_table(table.set_column(index, table.schema.field(index), lists), path)
    return path
