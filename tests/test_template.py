"""The Word template: made again from its builder, it is the same file."""

from pipeline.render.template_builder import build_template


def test_building_the_template_twice_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    build_template(first)
    build_template(second)
    assert first.read_bytes() == second.read_bytes()
