//! Where everything lives: the site path of every generated page and file, and links with
//! the base path. Every output goes through here, so the base path is never forgotten and
//! an address, once published, is made in one place only.

use crate::model::Site;

/// URLs for one site.
#[derive(Debug, Clone)]
pub struct Urls {
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
    /// The base URL, ending with `/`.
    pub base_url: String,
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment (district names are Chinese).
pub fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// A site-relative folder path with each segment percent-encoded.
pub fn percent_path(dir: &str) -> String {
    dir.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// Pages a table of `rows` takes at `page_size` rows a page (at least one).
pub fn page_count(rows: usize, page_size: usize) -> usize {
    rows.div_ceil(page_size.max(1)).max(1)
}

impl Urls {
    pub fn new(site: &Site) -> Self {
        Urls::from_base_url(&site.config.base_url)
    }

    pub fn from_base_url(base_url: &str) -> Self {
        let mut url = base_url.trim_end_matches('/').to_string();
        url.push('/');
        Urls {
            base_path: crate::domain::url::base_path_of(base_url),
            base_url: url,
        }
    }

    /// Site-relative path (no leading slash) → link with the base path.
    pub fn to(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// Site-relative path → absolute URL (for feeds, sitemaps and canonical links).
    pub fn absolute(&self, path: &str) -> String {
        if self.base_url.starts_with("http") {
            format!("{}{}", self.base_url, path)
        } else {
            self.to(path)
        }
    }

    pub fn list_path(id: &str, page: usize) -> String {
        if page <= 1 {
            format!("lists/{id}/")
        } else {
            format!("lists/{id}/page/{page}/")
        }
    }

    /// The prefix of a list's numbered pages: page n is `<prefix><n>/`.
    pub fn list_pages_prefix(id: &str) -> String {
        format!("lists/{id}/page/")
    }

    pub fn publicity_path(id: &str) -> String {
        format!("lists/{id}/publicity/")
    }

    pub fn download_path(id: &str, ext: &str) -> String {
        format!("lists/{id}/{id}.{ext}")
    }

    /// Site path of a district page (the raw Chinese name: also its output folder).
    /// The directory: `enterprises/`.
    pub const DIRECTORY: &'static str = "enterprises/";

    /// An enterprise's page: `enterprises/<credit code>/` (codes are ASCII).
    pub fn enterprise_path(code: &str) -> String {
        format!("enterprises/{code}/")
    }

    /// An enterprise's facts as JSON: `enterprises/<credit code>.json`.
    pub fn enterprise_json_path(code: &str) -> String {
        format!("enterprises/{code}.json")
    }

    /// The whole directory as a download: `enterprises/directory.csv` (or `.json`).
    pub fn directory_download_path(ext: &str) -> String {
        format!("enterprises/directory.{ext}")
    }

    pub fn district_path(name: &str, page: usize) -> String {
        if page <= 1 {
            format!("districts/{name}/")
        } else {
            format!("districts/{name}/page/{page}/")
        }
    }

    /// Link to a district page (percent-encoded).
    pub fn district_link(&self, name: &str, page: usize) -> String {
        self.to(&percent_path(&Self::district_path(name, page)))
    }

    /// The output file of the page at a site path: `lists/x/` → `lists/x/index.html`.
    pub fn file_of(path: &str) -> String {
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_base_path_and_encode_segments() {
        let u = Urls::from_base_url("https://gxj.dl.gov.cn/cxzx");
        assert_eq!(u.base_path, "/cxzx/");
        assert_eq!(u.to("lists/"), "/cxzx/lists/");
        assert_eq!(
            u.absolute("feed.xml"),
            "https://gxj.dl.gov.cn/cxzx/feed.xml"
        );
        assert_eq!(
            u.district_link("中山区", 2),
            "/cxzx/districts/%E4%B8%AD%E5%B1%B1%E5%8C%BA/page/2/"
        );
        assert_eq!(
            Urls::file_of("districts/中山区/"),
            "districts/中山区/index.html"
        );
        assert_eq!(Urls::file_of("404.html"), "404.html");
        assert_eq!(page_count(0, 500), 1);
        assert_eq!(page_count(1001, 500), 3);
    }
}
