from partnerkit.reports import parts


def test_report_partials_render_user_text_as_typed():
    html = parts.render_part("report_header", title="<b>T</b>", workspace="{{ ws }}",
                             generated=None)
    assert "&lt;b&gt;T&lt;/b&gt;" in html and "<b>" not in html
    assert "<bdi>{{ ws }}</bdi>" in html and "Workspace:" not in html


def test_the_sources_partial_lists_each_source():
    html = parts.render_part("sources", sources=[
        {"framework": "Six steps", "title": "Partnership <working>", "publisher": "ES"}])
    assert "<li>Six steps — Partnership &lt;working&gt; (ES)</li>" in html
