/// The site's one stylesheet and its search script, written by `kitbag build`.
enum Assets {
    /// Every colour is a custom property on `:root`: text colours (`--text`, `--muted`,
    /// `--link`) on background colours (`--bg`, `--band`, `--mark`) all meet WCAG 2.2 AA
    /// (4.5:1), which `ContrastTests` computes from this text. Focus is a 3px outline that
    /// is always visible. The print part typesets the one-page edition for WeasyPrint (paged
    /// media: running headers, page numbers, page references, bookmarks); browsers that do
    /// not know those properties ignore them.
    static let stylesheet = """
    :root { --text: #1b1b1b; --muted: #4a4a4a; --link: #0a4f8f; --bg: #ffffff; --band: #f2f5f8; --mark: #fff0a8; --rule: #8a939c; --focus: #b45309; }
    * { box-sizing: border-box; }
    html { font-size: 100%; }
    body { margin: 0; color: var(--text); background-color: var(--bg); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.6; overflow-wrap: break-word; }
    a { color: var(--link); }
    a:hover { text-decoration: underline double; }
    :focus-visible { outline: 3px solid; outline-color: var(--focus); outline-offset: 2px; }
    .skip-link { position: absolute; left: 0.5rem; top: -3rem; background-color: var(--bg); padding: 0.5rem 1rem; border: 2px solid; border-color: var(--text); z-index: 10; }
    .skip-link:focus { top: 0.5rem; }
    .site-header { background-color: var(--band); border-bottom: 1px solid; border-bottom-color: var(--rule); padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
    .site-title { margin: 0; font-weight: 700; }
    .site-nav ul, .pager ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    .search-form { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; align-items: center; max-width: 100%; }
    .search-form input { font: inherit; padding: 0.2rem 0.4rem; border: 1px solid; border-color: var(--muted); min-width: 0; flex: 1 1 9rem; }
    .search-form button { font: inherit; flex: 0 0 auto; }
    main { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    main:focus { outline: none; }
    h1, h2, h3, h4 { line-height: 1.25; }
    .number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.35em; }
    details.backrefs { font-size: 0.9rem; color: var(--muted); margin: 0.5rem 0 1rem; }
    details.backrefs summary { cursor: pointer; width: fit-content; }
    details.backrefs .backrefs-list { margin: 0.25rem 0 0; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: 0.95rem; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
    th, td { border: 1px solid; border-color: var(--rule); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
    thead th { background-color: var(--band); }
    table.matrix td { text-align: center; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .meta, .none { color: var(--muted); }
    .pager { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem 1rem; }
    .pager ul { justify-content: space-between; }
    main .pager-top { max-width: none; padding: 0 0 0.5rem; border-bottom: 1px solid; border-bottom-color: var(--rule); font-size: 0.95rem; }
    .chapter-contents { background-color: var(--band); border: 1px solid; border-color: var(--rule); padding: 0.5rem 1rem; margin: 1rem 0; font-size: 0.95rem; }
    .chapter-contents .panel-title { margin: 0; font-weight: 600; }
    .chapter-contents ol { list-style: none; margin: 0.25rem 0 0; padding: 0; }
    .chapter-contents li { margin: 0.2rem 0; }
    @media (min-width: 64em) {
      main:has(.chapter-layout) { max-width: 66rem; }
      .chapter-layout { display: grid; grid-template-columns: 15rem minmax(0, 46rem); gap: 2.5rem; }
      .chapter-contents { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem); overflow-y: auto; margin-top: 1.5rem; }
    }
    .site-footer { border-top: 1px solid; border-top-color: var(--rule); color: var(--muted); padding: 0.5rem 1rem; font-size: 0.9rem; }
    .toc ol, .toc ul { list-style: none; padding-left: 0; }
    .toc ol ol { padding-left: 1.5rem; }
    .toc li { margin: 0.15rem 0; }
    .title-page .subtitle { font-size: 1.25rem; color: var(--muted); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
    pre { background-color: var(--band); padding: 0.75rem; overflow-x: auto; }
    img { max-width: 100%; height: auto; }
    blockquote { border-left: 4px solid; border-left-color: var(--rule); margin-left: 0; padding-left: 1rem; }
    #kb-results li { margin-bottom: 0.75rem; }
    #kb-results p { margin: 0.2rem 0 0; }
    mark { background-color: var(--mark); color: var(--text); }
    @media (max-width: 30em) {
      main { padding: 0.75rem 0.75rem 2rem; }
      .pager { padding: 0 0.75rem 1rem; }
      dl.facts { grid-template-columns: 1fr; }
      dl.facts dd { margin-bottom: 0.4rem; }
      table { font-size: 0.85rem; }
      th, td { padding: 0.25rem 0.3rem; hyphens: auto; }
      /* Wide tables stack: one block per row, each cell after its column's name. */
      table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
      table.stack, table.stack tbody, table.stack tfoot, table.stack tr, table.stack th, table.stack td { display: block; }
      table.stack tr { border: 1px solid; border-color: var(--rule); margin-bottom: 0.5rem; }
      table.stack th, table.stack td { border: 0; padding: 0.15rem 0.5rem; }
      table.stack caption { display: block; }
      table.stack td:empty { display: none; }
      table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
    }
    @page { size: A4; margin: 20mm 18mm 22mm;
      @top-center { content: string(chapter); font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; font-size: 9pt; color: var(--muted); }
      @bottom-center { content: counter(page); font-family: system-ui, "Noto Sans", "DejaVu Sans", sans-serif; font-size: 9pt; }
    }
    @media print {
      .site-header, .pager, .site-footer, .skip-link, .search-form, .chapter-contents { display: none; }
      main { max-width: none; padding: 0; }
      body { font-size: 10.5pt; line-height: 1.45; }
      a { color: inherit; text-decoration: none; }
      .title-page { break-after: page; padding-top: 30%; }
      .title-page h1 { font-size: 26pt; }
      .toc { break-before: page; }
      .toc a::after { content: leader(".") " " target-counter(attr(href), page); }
      .chapter, .book-part { break-before: page; }
      .chapter h1, .book-part h1 { string-set: chapter content(text); }
      a.xref::after { content: ", page\\00a0" target-counter(attr(href), page); }
      h1, h2, h3, h4 { break-after: avoid; }
      h3, h4, h5, h6, .item-text h2 { bookmark-level: none; }
      figure, pre { break-inside: avoid; }
      .table-wrap { overflow: visible; }
      table { width: 100%; table-layout: auto; font-size: 9pt; }
      caption { break-after: avoid; }
      thead { display: table-header-group; }
      tfoot { display: table-row-group; }
      tr { break-inside: avoid; }
      th, td { overflow-wrap: break-word; hyphens: auto; }
      details.backrefs { font-size: 8.5pt; margin: 0.2rem 0 0.6rem; }
      details.backrefs summary { display: none; }
      details.backrefs .backrefs-list::before { content: "Referenced from: "; font-weight: 600; }
      details.backrefs::details-content { content-visibility: visible; display: block; }
      img { break-inside: avoid; }
    }

    """

    /// Client-side search over `search-index.js` (a script, because browsers refuse fetch
    /// from file://). Whole words only; entries whose title holds the words come first; the
    /// snippet is centred on the first match with every matched word marked. Results are
    /// built as DOM nodes, never from HTML strings.
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
      var words = (query.toLowerCase().match(/[\\p{L}\\p{N}]+/gu) || []);
      if (words.length === 0) { status.textContent = "Type a word or phrase and press Search."; return; }
      // A word matches only whole: not inside a longer word.
      function pattern(ws) { return new RegExp("(?<![\\\\p{L}\\\\p{N}])(" + ws.join("|") + ")(?![\\\\p{L}\\\\p{N}])", "giu"); }
      function count(text, word) { var m = text.match(pattern([word])); return m ? m.length : 0; }
      var hits = [];
      for (var i = 0; i < index.length; i++) {
        var entry = index[i];
        var inTitle = 0, inText = 0, all = true;
        for (var j = 0; j < words.length; j++) {
          var t = count(entry.t, words[j]), x = count(entry.x, words[j]);
          if (t === 0 && x === 0) { all = false; break; }
          if (t > 0) { inTitle++; }
          inText += x;
        }
        if (all) { hits.push({ entry: entry, title: inTitle, text: inText, order: i }); }
      }
      hits.sort(function (a, b) { return (b.title - a.title) || (b.text - a.text) || (a.order - b.order); });
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for \\u201c" + query + "\\u201d.";
      var any = pattern(words);
      // Appends `text` to `parent`, each matched word in a <mark>.
      function marked(parent, text) {
        var at = 0, m;
        any.lastIndex = 0;
        while ((m = any.exec(text)) !== null) {
          if (m.index > at) { parent.appendChild(document.createTextNode(text.slice(at, m.index))); }
          var mark = document.createElement("mark");
          mark.textContent = m[0];
          parent.appendChild(mark);
          at = m.index + m[0].length;
        }
        if (at < text.length) { parent.appendChild(document.createTextNode(text.slice(at))); }
      }
      // About 200 characters around the first match, cut at spaces.
      function snippet(text) {
        any.lastIndex = 0;
        var m = any.exec(text);
        var centre = m ? m.index + m[0].length / 2 : 0;
        var start = Math.max(0, Math.floor(centre - 100)), end = Math.min(text.length, start + 200);
        start = Math.max(0, end - 200);
        if (start > 0) { var s = text.indexOf(" ", start); if (s >= 0 && (!m || s < m.index)) { start = s + 1; } }
        if (end < text.length) { var e = text.lastIndexOf(" ", end); if (e > start && (!m || e >= m.index + m[0].length)) { end = e; } }
        return (start > 0 ? "\\u2026 " : "") + text.slice(start, end) + (end < text.length ? " \\u2026" : "");
      }
      hits.slice(0, 100).forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.entry.u;
        marked(link, hit.entry.t);
        var p = document.createElement("p");
        marked(p, snippet(hit.entry.x));
        item.appendChild(link);
        item.appendChild(p);
        list.appendChild(item);
      });
    })();

    """
}
