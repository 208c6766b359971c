//! Private hosting on Azure Blob Storage: upload the exported SVG through a container SAS URL
//! and check that the public URL serves what the visual needs (HTTPS, 200, an SVG content
//! type, CORS for Power BI).

use reqwest::Url;

use super::error::PublishError;
use super::secret::Secret;
use super::transport::{Call, Method, Transfer, Transport, check_url, is_loopback, redacted};
use crate::model::Map;
use crate::svg::{ExportOptions, export_svg};

/// The `x-ms-version` sent with uploads.
pub const API_VERSION: &str = "2021-08-06";
/// The origin the hosting check presents, as the visual does.
pub const POWER_BI_ORIGIN: &str = "https://app.powerbi.com";
/// Cache header stored with uploaded maps.
pub const CACHE_CONTROL: &str = "public, max-age=300";

/// A container SAS URL split into its public part and its secret query.
#[derive(Debug)]
pub struct SasUrl {
    container: Url,
    query: Secret,
}

impl SasUrl {
    /// Parses a container SAS URL, host-style (`https://acct.blob.core.windows.net/container?sv=…`)
    /// or path-style (`http://127.0.0.1:10000/devstoreaccount1/container?sv=…`).
    pub fn parse(secret: &Secret) -> Result<SasUrl, PublishError> {
        let bad = |why: &str| PublishError::Usage(format!("not a container SAS URL: {why}"));
        let url = Url::parse(secret.expose().trim()).map_err(|_| bad("cannot be parsed as a URL"))?;
        check_url(&url)?;
        let query =
            url.query().filter(|q| q.contains("sig=")).ok_or_else(|| bad("no SAS signature (sig=)"))?;
        let query = Secret::new(query);
        if url.path().trim_matches('/').is_empty() {
            return Err(bad("no container in the path"));
        }
        let mut container = url.clone();
        container.set_query(None);
        container.set_fragment(None);
        Ok(SasUrl { container, query })
    }

    /// The container's URL without the SAS.
    pub fn container_url(&self) -> String {
        self.container.to_string().trim_end_matches('/').to_string()
    }

    /// The public URL of a blob in this container.
    pub fn blob_url(&self, blob: &str) -> Url {
        let mut url = self.container.clone();
        url.path_segments_mut().expect("an http(s) URL has a path").pop_if_empty().push(blob);
        url
    }
}

/// Uploads an SVG as a block blob; returns the public URL to paste into the visual.
pub fn upload(
    transport: &Transport,
    sas: &SasUrl,
    blob: &str,
    svg: Vec<u8>,
    transfer: &Transfer,
) -> Result<String, PublishError> {
    if blob.is_empty() || blob.contains(['/', '\\']) || blob.len() > 1024 {
        return Err(PublishError::Usage(format!("not a usable blob name: {blob:?}")));
    }
    let public = sas.blob_url(blob);
    let mut url = public.clone();
    url.set_query(Some(sas.query.expose()));
    let call = Call::new(Method::PUT, url)
        .header("x-ms-blob-type", "BlockBlob")
        .header("x-ms-version", API_VERSION)
        .header("x-ms-blob-content-type", "image/svg+xml")
        .header("content-type", "image/svg+xml")
        .header("x-ms-blob-cache-control", CACHE_CONTROL)
        .body(svg, false)
        .progress(transfer.progress.clone())
        .cancel(&transfer.cancel);
    let reply = transport.send(&call)?;
    if reply.status.is_success() {
        return Ok(public.to_string());
    }
    let body = String::from_utf8_lossy(&reply.body);
    let code = body.split("<Code>").nth(1).and_then(|r| r.split("</Code>").next()).unwrap_or("").to_string();
    let why = match (reply.status.as_u16(), code.as_str()) {
        (403, _) => "the SAS URL was refused (expired, wrong signature, or no write permission)",
        (404, _) => "the container does not exist",
        (s, _) if s >= 500 => "Azure failed; try again later",
        _ => "Azure refused the upload",
    };
    Err(PublishError::BadAnswer(format!(
        "upload to {} failed: HTTP {} {code}: {why}",
        redacted(&public),
        reply.status.as_u16()
    )))
}

/// Uploads `map`'s Synoptic-ready SVG, exported with `export`, as a block blob; returns the
/// public URL to paste into the visual.
pub fn upload_map(
    transport: &Transport,
    sas: &SasUrl,
    blob: &str,
    map: &Map,
    export: &ExportOptions,
    transfer: &Transfer,
) -> Result<String, PublishError> {
    upload(transport, sas, blob, export_svg(map, export).svg.into_bytes(), transfer)
}

/// What the hosting check found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HostingReport {
    /// The URL checked.
    pub url: String,
    /// Served over HTTPS.
    pub https: bool,
    /// HTTP status, when fetched.
    pub status: Option<u16>,
    /// Content type, when fetched.
    pub content_type: Option<String>,
    /// `Access-Control-Allow-Origin` answered to Power BI's origin.
    pub cors: Option<String>,
    /// What the visual would trip over; empty when the URL works.
    pub problems: Vec<String>,
}

impl HostingReport {
    /// True when the visual can load the map from this URL.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Fetches a public map URL as the visual would (no credentials, Power BI's `Origin`) and reports
/// HTTPS, status, content type and CORS. A plain-HTTP URL fails the check and is fetched only
/// when it is loopback.
pub fn check_hosting(transport: &Transport, url: &str) -> Result<HostingReport, PublishError> {
    let parsed = Url::parse(url).map_err(|e| PublishError::Usage(format!("not a URL: {url:?}: {e}")))?;
    let mut report = HostingReport {
        url: redacted(&parsed),
        https: parsed.scheme() == "https",
        status: None,
        content_type: None,
        cors: None,
        problems: Vec::new(),
    };
    if !report.https {
        report.problems.push("not HTTPS: Power BI loads maps only over https://".into());
        if !is_loopback(&parsed) {
            return Ok(report);
        }
    }
    let reply = transport.send(&Call::new(Method::GET, parsed).header("origin", POWER_BI_ORIGIN))?;
    let status = reply.status.as_u16();
    report.status = Some(status);
    report.content_type = reply.header("content-type").map(str::to_string);
    report.cors = reply.header("access-control-allow-origin").map(str::to_string);
    if status != 200 {
        report.problems.push(format!(
            "HTTP {status}: the map is not publicly readable (the container needs anonymous blob read access)"
        ));
    }
    match report.content_type.as_deref() {
        Some(ct) if ct.starts_with("image/svg+xml") => {}
        other => report
            .problems
            .push(format!("content type {}: it should be image/svg+xml", other.unwrap_or("missing"))),
    }
    match report.cors.as_deref() {
        Some("*") | Some(POWER_BI_ORIGIN) => {}
        _ => report.problems.push(
            "no CORS permission for https://app.powerbi.com: add a CORS rule to the storage account allowing it (or *)"
                .into(),
        ),
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sas_urls_split_into_public_part_and_secret() {
        let s =
            SasUrl::parse(&Secret::new("https://acct.blob.core.windows.net/maps?sv=2021-08-06&sig=abc%2B"))
                .unwrap();
        assert_eq!(s.container_url(), "https://acct.blob.core.windows.net/maps");
        assert_eq!(
            s.blob_url("floor 1.svg").as_str(),
            "https://acct.blob.core.windows.net/maps/floor%201.svg"
        );
        assert!(!format!("{s:?}").contains("abc"));
        let p = SasUrl::parse(&Secret::new("http://127.0.0.1:10000/devstoreaccount1/maps?sig=x")).unwrap();
        assert_eq!(p.blob_url("a.svg").as_str(), "http://127.0.0.1:10000/devstoreaccount1/maps/a.svg");
        assert!(SasUrl::parse(&Secret::new("http://acct.blob.core.windows.net/maps?sig=x")).is_err());
        assert!(SasUrl::parse(&Secret::new("https://acct.blob.core.windows.net/maps")).is_err());
        assert!(SasUrl::parse(&Secret::new("https://acct.blob.core.windows.net/?sig=x")).is_err());
    }
}
