/** The side panel's tabs: a button `#tab-X` shows the section `#panel-X` and hides the others. */
export function setupTabs(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("[role=tab]")];
  for (const button of buttons) {
    button.addEventListener("click", () => {
      for (const b of buttons) {
        const on = b === button;
        b.setAttribute("aria-selected", String(on));
        document.getElementById(b.getAttribute("aria-controls")!)!.hidden = !on;
      }
    });
  }
}
