import "./style.css";
import { ViewerApp } from "./app.js";
import { byId } from "./element.js";
import { showError } from "./error-banner.js";
import { listenForFiles, served } from "./file-intake.js";
import { configureOrt } from "./ort-web.js";
import { setupTabs } from "./tabs.js";

declare global {
  interface Window {
    /** The running viewer, for automation (the benchmark times open and run through it). */
    kerasgraphViewer?: ViewerApp;
  }
}

window.addEventListener("error", (e) => showError("Unexpected error", e.error ?? e.message));
window.addEventListener("unhandledrejection", (e) => showError("Unexpected error", e.reason));

configureOrt();
setupTabs();
const app = new ViewerApp();
window.kerasgraphViewer = app;
listenForFiles((files) => void app.open(files));
served()
  .then((files) => (files.length ? app.open(files) : undefined))
  .catch((e: unknown) => showError("Could not load the served model", e))
  .finally(() => byId("app").setAttribute("data-ready", "true"));
