//! The Publish panel's Azure part: upload the open map's Synoptic-ready SVG to a configured
//! container through its SAS URL, show the public URL, and run the hosting check.

use super::job::{Job, Status, status_ui};
use super::secrets::SessionSecrets;
use crate::model::Map;
use crate::storage::azure::{self, HostingReport, SasUrl};
use crate::storage::config::Settings;
use crate::storage::credentials::Account;
use crate::storage::netlog::NetLog;
use crate::storage::transport::{Transport, TransportOptions};
use crate::storage::{PublishError, Secret};
use crate::svg::ExportOptions;

/// What an Azure job reports back.
enum Outcome {
    Uploaded(String),
    Checked(HostingReport),
    Failed(String),
}

/// The Azure part's state.
pub struct AzurePanel {
    log: NetLog,
    secrets: SessionSecrets,
    target: usize,
    sas_url: String,
    blob: String,
    public_url: Option<String>,
    report: Option<HostingReport>,
    job: Option<Job<Outcome>>,
    message: Option<Status>,
}

impl AzurePanel {
    /// A panel that records requests in `log` and takes SAS URLs from `secrets`.
    pub fn new(log: NetLog, secrets: SessionSecrets) -> Self {
        AzurePanel {
            log,
            secrets,
            target: 0,
            sas_url: String::new(),
            blob: String::new(),
            public_url: None,
            report: None,
            job: None,
            message: None,
        }
    }

    /// Draws the Azure part; an upload sends the map exported with `export`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &Settings,
        map: Option<&Map>,
        map_name: &str,
        export: &ExportOptions,
    ) {
        self.poll();
        if settings.azure.is_empty() {
            ui.label("No Azure target yet: add one below with its container's SAS URL.");
            return;
        }
        self.target = self.target.min(settings.azure.len() - 1);
        egui::ComboBox::from_label("Target").selected_text(&settings.azure[self.target].name).show_ui(
            ui,
            |ui| {
                for (i, t) in settings.azure.iter().enumerate() {
                    ui.selectable_value(&mut self.target, i, &t.name);
                }
            },
        );
        let target = settings.azure[self.target].clone();
        ui.label(format!("Container: {}", target.container_url));
        let account = Account::SasUrl(target.name.clone());
        if self.secrets.get(&account).is_none() {
            let label = ui.label("Container SAS URL");
            ui.add(egui::TextEdit::singleline(&mut self.sas_url).password(true)).labelled_by(label.id);
            self.secrets.remember_checkbox(ui);
            if ui.button("Use this SAS URL").clicked() && !self.sas_url.is_empty() {
                let secret = Secret::new(std::mem::take(&mut self.sas_url));
                if let Err(e) = self.secrets.keep(account, secret) {
                    self.message = Some(Status::Failed(e.to_string()));
                }
            }
            status_ui(ui, &self.message);
            return;
        }
        if self.blob.is_empty() {
            self.blob = format!("{map_name}.svg");
        }
        ui.horizontal(|ui| {
            let label = ui.label("Blob name");
            ui.text_edit_singleline(&mut self.blob).labelled_by(label.id);
        });
        let idle = self.job.is_none();
        if ui.add_enabled(idle && map.is_some(), egui::Button::new("Upload the open map's SVG")).clicked()
            && let (Some(map), Some(sas)) = (map, self.secrets.get(&account))
        {
            let map = map.clone();
            let export = export.clone();
            let transport = self.transport(settings);
            let blob = self.blob.clone();
            self.message = None;
            self.job = Some(Job::spawn(
                ui.ctx(),
                "Uploading…",
                move |transfer| {
                    let result = SasUrl::parse(&sas)
                        .and_then(|s| azure::upload_map(&transport, &s, &blob, &map, &export, transfer));
                    result.map_or_else(|e| Outcome::Failed(e.to_string()), Outcome::Uploaded)
                },
                Outcome::Failed,
            ));
        }
        if let Some(url) = self.public_url.clone() {
            ui.label("Public URL to paste into the visual:");
            ui.label(egui::RichText::new(&url).monospace());
            ui.horizontal(|ui| {
                if ui.button("Copy public URL").clicked() {
                    ui.ctx().copy_text(url.clone());
                }
                if ui.add_enabled(idle, egui::Button::new("Check hosting")).clicked() {
                    let transport = self.transport(settings);
                    self.job = Some(Job::spawn(
                        ui.ctx(),
                        "Checking…",
                        move |_| {
                            azure::check_hosting(&transport, &url).map_or_else(
                                |e: PublishError| Outcome::Failed(e.to_string()),
                                Outcome::Checked,
                            )
                        },
                        Outcome::Failed,
                    ));
                }
            });
        }
        if let Some(job) = &self.job {
            job.ui(ui);
        }
        status_ui(ui, &self.message);
        if let Some(r) = &self.report {
            report_ui(ui, r);
        }
    }

    fn transport(&self, settings: &Settings) -> Transport {
        Transport::new(
            TransportOptions { offline: settings.offline, ..TransportOptions::default() },
            self.log.clone(),
        )
    }

    fn poll(&mut self) {
        let Some(outcome) = self.job.as_ref().and_then(Job::poll) else { return };
        self.job = None;
        match outcome {
            Outcome::Uploaded(url) => {
                self.message = Some(Status::Done("Uploaded".into()));
                self.public_url = Some(url);
                self.report = None;
            }
            Outcome::Checked(report) => self.report = Some(report),
            Outcome::Failed(e) => self.message = Some(Status::Failed(e)),
        }
    }
}

fn report_ui(ui: &mut egui::Ui, r: &HostingReport) {
    ui.label(format!("HTTPS: {}", if r.https { "yes" } else { "no" }));
    ui.label(format!("Status: {}", r.status.map_or("not fetched".into(), |s| s.to_string())));
    ui.label(format!("Content type: {}", r.content_type.as_deref().unwrap_or("-")));
    ui.label(format!("CORS for Power BI: {}", r.cors.as_deref().unwrap_or("none")));
    if r.ok() {
        ui.label("The visual can load this map.");
    }
    for p in &r.problems {
        ui.colored_label(ui.visuals().warn_fg_color, p);
    }
}
