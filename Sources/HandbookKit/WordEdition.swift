import CurriculumKit
import KitbagCore

/// `handbook.docx`: the one-page edition converted by pandoc. Headings keep the numbers
/// they have on the site (as text, so Word never renumbers them); a contents field takes the
/// place of the site's contents list; cross-references stay internal links (to headings'
/// and tables' bookmarks); tables, the glossary and the curriculum come along. Every
/// paragraph has a named style (pandoc's: Title, Heading 1-6, Body Text, Table, Caption,
/// Hyperlink, and kitbag's "Back References" and "Heading Number"), so a trust can restyle
/// the document with its own template (`--reference-doc`).
public enum WordEdition {
    public static let fileName = "handbook.docx"

    /// `KITBAG_PANDOC`, else `pandoc` on `PATH` (as for proposals' Word copies).
    static func executable(environment: [String: String]) -> String? {
        Subprocess.find(environment["KITBAG_PANDOC"] ?? "pandoc", environment: environment)
    }

    static func missingMessage(environment: [String: String]) -> String {
        "pandoc is needed for --docx but was not found ('\(environment["KITBAG_PANDOC"] ?? "pandoc")'); install it: 'sudo apt-get install pandoc' (Debian/Ubuntu package 'pandoc'; other systems: https://pandoc.org/installing.html), or set KITBAG_PANDOC to its path"
    }

    /// Converts the one-page edition at `onePage` into `target`. A site's edition names the
    /// site and its trust on the title page, under the subtitle (pandoc's title page is made
    /// from the metadata, so the one-page edition's title page is not carried over).
    public static func write(onePage: String, to target: String, book: Book, site: Site? = nil, referenceDoc: String?, pandoc: String) throws(EditionError) {
        let filter = Subprocess.temporaryPath(".lua")
        do { try FileSystem.writeAtomically(luaFilter, to: filter) } catch { throw EditionError("cannot write a temporary file: \(error)") }
        defer { FileSystem.remove(filter) }
        var arguments = ["-f", "html", "-t", "docx", "--toc", "--toc-depth=2", "--lua-filter", filter,
                         "-M", "title=" + book.title, "-M", "lang=" + book.language]
        if let subtitle = book.subtitle { arguments += ["-M", "subtitle=" + subtitle] }
        for author in book.authors { arguments += ["-M", "author=" + author] }
        if let site {
            arguments += ["-M", "site-edition=\(site.name) edition"]
            if !site.trust.isEmpty { arguments += ["-M", "site-trust=" + site.trust] }
        }
        if let referenceDoc { arguments += ["--reference-doc", referenceDoc] }
        try Editions.run(pandoc, { arguments + ["-o", $0, onePage] }, target: target, tool: "pandoc")
    }

    /// Keeps the one-page edition's main content without the page around it (skip link,
    /// header, footer), its title page (pandoc makes one from the metadata) and its contents
    /// list (the contents field replaces it); back-references become one styled paragraph;
    /// a table's ID becomes a bookmark around it; chapters start on a new page. Works on pandoc's document tree.
    static let luaFilter = """
    local function backrefs(div)
      local inlines = { pandoc.Strong({ pandoc.Str("Referenced"), pandoc.Space(), pandoc.Str("from:") }), pandoc.Space() }
      for _, block in ipairs(div.content) do
        if block.content then for _, x in ipairs(block.content) do table.insert(inlines, x) end end
      end
      return pandoc.Div({ pandoc.Para(inlines) }, pandoc.Attr("", {}, { { "custom-style", "Back References" } }))
    end

    local function clean(blocks)
      local out = {}
      local in_toc = false
      for _, b in ipairs(blocks) do
        if b.t == "Header" and b.identifier == "toc-heading" then
          in_toc = true
        elseif in_toc and (b.t == "OrderedList" or b.t == "BulletList") then
          -- the site's contents list: the contents field replaces it
        else
          in_toc = false
          if b.t == "Div" and b.classes:includes("title-page") then
            -- pandoc's title page, from the metadata
          elseif b.t == "Div" and b.classes:includes("backrefs-list") then
            if #out > 0 and out[#out].t == "Plain" then table.remove(out) end
            table.insert(out, backrefs(b))
          elseif b.t == "Div" then
            if b.classes:includes("chapter") or b.classes:includes("book-part") then
              -- each chapter, the glossary and the curriculum start a new page
              table.insert(out, pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'))
            end
            b.content = clean(b.content)
            table.insert(out, b)
          else
            table.insert(out, b)
          end
        end
      end
      return out
    end

    function Span(s)
      if s.classes:includes("number") then
        s.attributes["custom-style"] = "Heading Number"
        return s
      end
    end

    function Table(t)
      local id = t.attr.identifier
      if id ~= "" then
        t.attr.identifier = ""
        return pandoc.Div({ t }, pandoc.Attr(id))
      end
    end

    -- A site's edition: its name and trust join the subtitle on pandoc's title page.
    local function site_lines(meta)
      if not meta["site-edition"] then return end
      local lines = {}
      if meta.subtitle then table.insert(lines, pandoc.utils.stringify(meta.subtitle)) end
      table.insert(lines, pandoc.utils.stringify(meta["site-edition"]))
      if meta["site-trust"] then table.insert(lines, pandoc.utils.stringify(meta["site-trust"])) end
      local inlines = pandoc.List()
      for i, line in ipairs(lines) do
        if i > 1 then inlines:insert(pandoc.LineBreak()) end
        inlines:insert(pandoc.Str(line))
      end
      meta.subtitle = pandoc.MetaInlines(inlines)
      meta["site-edition"] = nil
      meta["site-trust"] = nil
    end

    function Pandoc(doc)
      site_lines(doc.meta)
      for _, b in ipairs(doc.blocks) do
        if b.t == "Div" and b.identifier == "main" then
          doc.blocks = clean(b.content)
          return doc
        end
      end
      return doc
    end

    """
}
