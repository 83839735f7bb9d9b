import { byId } from "./element.js";

/**
 * Shows a failure in the page (never a blank screen): the error's one-line message, which for
 * kerasgraph's own errors names the file, the layer and what was received, and its class name.
 */
export function showError(what: string, error: unknown): void {
  const banner = byId("error");
  const e = error instanceof Error ? error : new Error(String(error));
  banner.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = `${what} (${e.name})`;
  const message = document.createElement("p");
  message.textContent = e.message;
  const close = document.createElement("button");
  close.textContent = "×";
  close.title = "Dismiss";
  close.addEventListener("click", clearError);
  banner.append(close, title, message);
  banner.hidden = false;
  console.error(e);
}

export function clearError(): void {
  byId("error").hidden = true;
}

/** Progress text beside the open button ("Reading model.keras…"). */
export function setStatus(text: string): void {
  byId("status").textContent = text;
}
