"""Voilà's page templates are compiled once per server, and again only when edited."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from partnerkit.serve.page_templates import COMPILED, CompiledTemplates, share_compiled_templates


def counting_environment(folder, cache: CompiledTemplates) -> tuple[Environment, list[str]]:
    """A Jinja environment on ``folder`` with ``cache``, and the names it compiles."""
    environment = Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache,
                              enable_async=True, autoescape=True)
    compiled: list[str] = []
    compile_source = environment.compile

    def compile_counted(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(source, name, filename, raw, defer_init)

    environment.compile = compile_counted
    return environment, compiled


def test_a_second_environment_uses_the_code_the_first_compiled(tmp_path):
    (tmp_path / "page.html.j2").write_text("<p>{{ who }}</p>")
    cache = CompiledTemplates()
    first, first_compiled = counting_environment(tmp_path, cache)
    second, second_compiled = counting_environment(tmp_path, cache)
    assert first.get_template("page.html.j2").render(who="<Ann>") == "<p>&lt;Ann&gt;</p>"
    assert second.get_template("page.html.j2").render(who="Ben") == "<p>Ben</p>"
    assert first_compiled == ["page.html.j2"] and second_compiled == []
    assert len(cache) == 1


def test_an_edited_template_is_compiled_again(tmp_path):
    page = tmp_path / "page.html.j2"
    page.write_text("<p>old {{ who }}</p>")
    cache = CompiledTemplates()
    first, _ = counting_environment(tmp_path, cache)
    assert first.get_template("page.html.j2").render(who="x") == "<p>old x</p>"
    page.write_text("<p>new {{ who }}</p>")
    second, second_compiled = counting_environment(tmp_path, cache)
    assert second.get_template("page.html.j2").render(who="x") == "<p>new x</p>"
    assert second_compiled == ["page.html.j2"]


def test_every_voila_exporter_shares_the_one_cache():
    from voila.exporter import VoilaExporter

    share_compiled_templates()
    share_compiled_templates()  # twice is the same as once
    first, second = VoilaExporter(), VoilaExporter()
    assert first.environment is not second.environment
    assert first.environment.bytecode_cache is COMPILED
    assert second.environment.bytecode_cache is COMPILED
