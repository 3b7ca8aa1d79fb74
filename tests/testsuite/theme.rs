//! The theme owns what a reader sees: a site's own `templates/` replaces theme templates
//! file by file, enterprise rows come from the row partials, the words outside templates
//! from `theme.toml`, and the feed, sitemap and robots.txt are templates too.

use crate::support::*;

const LIST: &str = "lists/2026-q3-application/index.html";
const PUBLICITY: &str = "lists/2026-q3-application/publicity/index.html";
const LIST_FILE: &str = "data/lists/2026-q3-application.toml";

/// The site's own `themes/default/theme.toml`, a copy of the built-in one to edit: the
/// theme folder holds that file only, the rest stays built in.
fn own_theme_words(f: &Fixture) {
    let words = std::fs::read_to_string(repo().join("themes/default/theme.toml")).unwrap();
    f.write("themes/default/theme.toml", &words);
}

fn built(f: &Fixture) {
    assert_ok(&f.build());
}

#[test]
fn a_site_template_replaces_only_the_theme_template_of_its_name() {
    let plain = Fixture::minimal();
    built(&plain);
    let f = Fixture::minimal();
    f.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>本站自己的404页</h1>{% endblock content %}\n",
    );
    built(&f);
    assert!(f.out("404.html").contains("<h1>本站自己的404页</h1>"));
    assert!(!plain.out("404.html").contains("本站自己的404页"));
    // Every other page is the theme's, byte for byte.
    for page in [LIST, PUBLICITY, "index.html", "districts/index.html"] {
        assert_eq!(f.out(page), plain.out(page), "{page}");
    }
}

#[test]
fn a_site_row_partial_makes_every_enterprise_row_and_its_values_are_escaped() {
    let f = Fixture::minimal();
    f.edit(
        LIST_FILE,
        "大连示例最小乙新材料有限公司",
        "大连示例最小乙<新材料>&\\\"有限\\\"公司",
    );
    f.write(
        "templates/partials/list_row.html",
        "<tr class=\"mine\" id=\"{{ credit_code }}\" data-code=\"{{ credit_code }}\"><td>{{ n }}</td><td>{{ name }}</td>{% if not industry %}<td>无行业</td>{% endif %}</tr>\n",
    );
    f.write(
        "templates/partials/district_row.html",
        "<tr class=\"mine-district\"><td>{{ name }}</td><td><a href=\"{{ list_url }}#{{ credit_code }}\">{{ list_title }}</a></td></tr>\n",
    );
    built(&f);
    let list = f.out(LIST);
    assert_eq!(list.matches("<tr class=\"mine\"").count(), 3, "{list}");
    assert!(list
        .contains("<td>大连示例最小乙&lt;新材料&gt;&amp;&quot;有限&quot;公司</td><td>无行业</td>"));
    assert!(list.contains("data-code=\"91210213MACPRJEYXY\"><td>3</td>"));
    assert!(
        !list.contains("<td class=\"code\">"),
        "the theme's row is not used"
    );
    let district = f.out("districts/中山区/index.html");
    assert_eq!(district.matches("<tr class=\"mine-district\">").count(), 2);
    assert!(district.contains("#91210202MATU8FKPXX\">"));
}

#[test]
fn a_row_partial_error_points_at_the_site_file_and_the_previous_site_stays() {
    let f = Fixture::minimal();
    built(&f);
    let before = snapshot(&f.path("public"));
    f.write(
        "templates/partials/district_row.html",
        "<tr>\n<td>{{ nmae }}</td></tr>\n",
    );
    let o = f.build();
    assert_exit(
        &o,
        1,
        &[
            "templates/partials/district_row.html:2:5",
            "“nmae”",
            "name、credit_code、list_title",
            "[template]",
        ],
    );
    assert_eq!(snapshot(&f.path("public")), before);

    // Tera itself accepts a loop; the row partial does not.
    f.write(
        "templates/partials/district_row.html",
        "<tr>{% for x in name %}<td>{{ x }}</td>{% endfor %}</tr>\n",
    );
    assert_exit(&f.build(), 1, &["district_row.html:1:5", "不支持"]);
}

#[test]
fn theme_words_title_the_generated_pages_and_head_the_csv() {
    let f = Fixture::minimal();
    own_theme_words(&f);
    f.edit(
        "themes/default/theme.toml",
        "publicity = \"{title}（公示期和异议）\"",
        "publicity = \"{title}：公示与异议（{count}家）\"",
    );
    f.edit(
        "themes/default/theme.toml",
        "csv_headers = [\"序号\"",
        "csv_headers = [\"编号\"",
    );
    f.edit(
        "themes/default/theme.toml",
        "publicity_open = \"公示中\"",
        "publicity_open = \"正在公示\"",
    );
    built(&f);
    let page = f.out(PUBLICITY);
    assert!(page.contains("公示：公示与异议（3家） - "), "{page}");
    assert!(
        page.contains("正在公示"),
        "the status word comes from theme.toml"
    );
    let csv = f.out("lists/2026-q3-application/2026-q3-application.csv");
    assert!(csv.starts_with("\u{feff}编号,企业名称,"), "{csv}");
}

#[test]
fn an_unknown_slot_in_theme_words_names_the_entry_and_the_slots_it_may_use() {
    let f = Fixture::minimal();
    own_theme_words(&f);
    f.edit(
        "themes/default/theme.toml",
        "list_page = \"{title}（第{page}页）\"",
        "list_page = \"{title}（第{pgae}页）\"",
    );
    assert_exit(
        &f.build(),
        1,
        &[
            "themes/default/theme.toml",
            "pages.list_page",
            "{pgae}",
            "{title}、{page}、{count}",
            "[theme-words]",
        ],
    );
}

#[test]
fn feed_sitemap_and_robots_are_templates_a_site_can_replace() {
    let f = Fixture::minimal();
    f.write("templates/robots.txt", "User-agent: *\nDisallow: /\n");
    f.write(
        "templates/sitemap.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{% for loc in locs %}<url><loc>{{ loc }}</loc><changefreq>weekly</changefreq></url>{% endfor %}</urlset>\n",
    );
    built(&f);
    assert_eq!(f.out("robots.txt"), "User-agent: *\nDisallow: /\n");
    let sitemap = f.out("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("well-formed sitemap");
    let weekly = doc
        .descendants()
        .filter(|n| n.has_tag_name("changefreq"))
        .count();
    let locs = doc.descendants().filter(|n| n.has_tag_name("loc")).count();
    assert!(locs > 5 && weekly == locs, "{sitemap}");
    // The theme's feed is still there and well formed, and escapes what it carries.
    let feed = f.out("feed.xml");
    roxmltree::Document::parse(&feed).expect("well-formed feed");
    assert!(feed.contains("<entry>"));
}

#[test]
fn a_site_without_a_theme_folder_builds_with_the_built_in_theme() {
    let f = Fixture::minimal();
    assert!(!f.path("themes").exists());
    built(&f);
    // The theme's static files are published from the binary, byte for byte.
    let css = repo().join("themes/default/static/assets/style.css");
    assert_eq!(
        std::fs::read(f.path("public/assets/style.css")).unwrap(),
        std::fs::read(css).unwrap()
    );
    assert!(f.out("index.html").contains("<html lang=\"zh-CN\">"));
}

#[test]
fn a_file_in_the_sites_theme_folder_replaces_only_that_file_of_the_built_in_theme() {
    let plain = Fixture::minimal();
    built(&plain);
    let f = Fixture::minimal();
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>主题文件夹里的404页</h1>{% endblock content %}\n",
    );
    f.write("themes/default/static/assets/extra.txt", "本站自己的文件");
    built(&f);
    assert!(f.out("404.html").contains("<h1>主题文件夹里的404页</h1>"));
    assert_eq!(f.out("assets/extra.txt"), "本站自己的文件");
    for page in [LIST, PUBLICITY, "index.html", "assets/style.css"] {
        assert_eq!(f.out(page), plain.out(page), "{page}");
    }
}

#[test]
fn theme_export_writes_the_built_in_theme_out_and_refuses_a_folder_with_files() {
    let plain = Fixture::minimal();
    built(&plain);
    let f = Fixture::minimal();
    let o = f.run(&["theme", "export"]);
    assert_ok(&o);
    assert!(
        stderr(&o).contains("已把 Gazette 自带的主题写到"),
        "{}",
        stderr(&o)
    );
    // The files are the repository's theme, every one of them.
    let exported = snapshot(&f.path("themes/default"));
    assert_eq!(exported, snapshot(&repo().join("themes/default")));
    // A site with the exported theme builds the same site.
    built(&f);
    assert_eq!(
        snapshot(&f.path("public")).len(),
        snapshot(&plain.path("public")).len()
    );
    for page in [
        LIST,
        PUBLICITY,
        "index.html",
        "404.html",
        "assets/style.css",
    ] {
        assert_eq!(f.out(page), plain.out(page), "{page}");
    }
    // Exporting again would mix or replace the clerk's changes: refused, nothing written.
    f.write("themes/default/templates/404.html", "改过的");
    let again = f.run(&["theme", "export"]);
    assert_exit(
        &again,
        1,
        &["[theme-export]", "themes/default", "已经有文件"],
    );
    assert_eq!(f.read("themes/default/templates/404.html"), "改过的");
    // Elsewhere with --out.
    let elsewhere = f.path("my-theme");
    assert_ok(&f.run(&["theme", "export", "--out", elsewhere.to_str().unwrap()]));
    assert!(elsewhere.join("theme.toml").is_file());
}
