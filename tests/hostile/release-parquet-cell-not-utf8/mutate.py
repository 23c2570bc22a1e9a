import pyarrow as pa
import pyarrow.parquet as pq


def mutate(release, helpers):
    path = release / "actors.parquet"
    table = pq.read_table(path)
    index = table.schema.get_field_index("name_en")
    cells = pa.array([b"ab\xffcd"] * table.num_rows, pa.binary()).view(pa.string())
    pq.write_table(table.set_column(index, table.schema.field(index), cells), path)
    helpers.rehash(release, "actors.parquet")
