/// The site's one stylesheet and its search script, written by `kitbag build`.
enum Assets {
    /// Colours meet WCAG 2.2 AA: body text #1b1b1b on #ffffff (17:1), links #0a4f8f (8.6:1),
    /// muted text #4a4a4a (8.9:1); focus is a 3px outline that is always visible.
    static let stylesheet = """
    :root { --text: #1b1b1b; --muted: #4a4a4a; --link: #0a4f8f; --bg: #ffffff; --band: #f2f5f8; --rule: #c5ccd3; --focus: #b45309; }
    * { box-sizing: border-box; }
    html { font-size: 100%; }
    body { margin: 0; color: var(--text); background: var(--bg); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.6; }
    a { color: var(--link); }
    a:hover { text-decoration: underline double; }
    :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
    .skip-link { position: absolute; left: 0.5rem; top: -3rem; background: var(--bg); padding: 0.5rem 1rem; border: 2px solid var(--text); z-index: 10; }
    .skip-link:focus { top: 0.5rem; }
    .site-header { background: var(--band); border-bottom: 1px solid var(--rule); padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
    .site-title { margin: 0; font-weight: 700; }
    .site-nav ul, .pager ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    .search-form { display: flex; gap: 0.5rem; align-items: center; }
    .search-form input { font: inherit; padding: 0.2rem 0.4rem; border: 1px solid var(--muted); }
    .search-form button { font: inherit; }
    main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    main:focus { outline: none; }
    h1, h2, h3, h4 { line-height: 1.25; }
    .number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.35em; }
    .backrefs { font-size: 0.9rem; color: var(--muted); margin-top: -0.5rem; }
    .backrefs .label { font-weight: 600; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: 0.95rem; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
    th, td { border: 1px solid var(--rule); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
    thead th { background: var(--band); }
    table.matrix td { text-align: center; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .meta, .none { color: var(--muted); }
    .pager { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem 1rem; }
    .pager ul { justify-content: space-between; }
    .site-footer { border-top: 1px solid var(--rule); color: var(--muted); padding: 0.5rem 1rem; font-size: 0.9rem; }
    .toc ol { padding-left: 1.5rem; }
    .toc li { margin: 0.15rem 0; }
    .title-page .subtitle { font-size: 1.25rem; color: var(--muted); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
    pre { background: var(--band); padding: 0.75rem; overflow-x: auto; }
    img { max-width: 100%; height: auto; }
    blockquote { border-left: 4px solid var(--rule); margin-left: 0; padding-left: 1rem; }
    #kb-results li { margin-bottom: 0.75rem; }
    @media print {
      .site-header, .pager, .site-footer, .skip-link, .search-form { display: none; }
      main { max-width: none; padding: 0; }
      body { font-size: 11pt; }
      a { color: inherit; text-decoration: none; }
      .chapter, .book-part { break-before: page; }
      h1, h2, h3 { break-after: avoid; }
      table, figure, pre { break-inside: avoid; }
    }

    """

    /// Client-side search over `search-index.js` (a script, because browsers refuse fetch from file://).
    static let searchScript = """
    (function () {
      "use strict";
      var index = window.KITBAG_SEARCH || [];
      var params = new URLSearchParams(window.location.search);
      var query = (params.get("q") || "").trim();
      var input = document.getElementById("kb-search-q");
      if (input) { input.value = query; }
      var status = document.getElementById("kb-status");
      var list = document.getElementById("kb-results");
      if (!list || !status) { return; }
      if (!query) { status.textContent = "Type a word or phrase and press Search."; return; }
      var words = query.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
      var hits = [];
      for (var i = 0; i < index.length; i++) {
        var entry = index[i];
        var title = entry.t.toLowerCase();
        var text = entry.x.toLowerCase();
        var score = 0;
        var all = true;
        for (var j = 0; j < words.length; j++) {
          var inTitle = title.indexOf(words[j]) >= 0;
          var inText = text.indexOf(words[j]) >= 0;
          if (!inTitle && !inText) { all = false; break; }
          score += inTitle ? 10 : 1;
        }
        if (all) { hits.push({ entry: entry, score: score }); }
      }
      hits.sort(function (a, b) { return b.score - a.score; });
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for \\u201c" + query + "\\u201d.";
      hits.slice(0, 100).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.entry.u;
        link.textContent = hit.entry.t;
        var snippet = document.createElement("p");
        snippet.textContent = hit.entry.x.slice(0, 200);
        item.appendChild(link);
        item.appendChild(snippet);
        list.appendChild(item);
      });
    })();

    """
}
