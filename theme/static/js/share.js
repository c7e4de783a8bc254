// "Copy link" for the share block of an article (theme/templates/article.html).
// Without this script the reader selects the link in the read-only field;
// with it a button copies the link, and says so in a status message.

const STATUS_CLEAR_MS = 6000;

function selectAll(field) {
  field.focus();
  field.select();
  field.setSelectionRange(0, field.value.length);
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  throw new Error("no clipboard");
}

function enhance(block) {
  const button = block.querySelector(".share-copy-button");
  const field = block.querySelector(".share-url");
  const status = block.querySelector(".share-copy-status");
  if (!button || !field || !status) {
    return;
  }
  let clearTimer = 0;
  const say = (message) => {
    window.clearTimeout(clearTimer);
    status.textContent = message;
    clearTimer = window.setTimeout(() => {
      status.textContent = "";
    }, STATUS_CLEAR_MS);
  };

  // one click in the field selects the whole link, ready to copy
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    try {
      await copyText(field.value);
      say("Link copied. Paste it wherever you like.");
    } catch {
      // the browser refused: leave the link selected for the reader to copy
      selectAll(field);
      say("Your browser did not let the page copy. The link is selected: copy it with Ctrl+C (⌘C on a Mac).");
    }
  });
  button.hidden = false;
}

for (const block of document.querySelectorAll(".share-copy")) {
  enhance(block);
}
