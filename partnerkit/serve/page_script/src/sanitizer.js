// How a page's output renderers make untrusted HTML safe, should an output ever be
// untrusted (a page's cell outputs come from the server's own run of the workbook and
// are trusted): the same sanitizer as the widgets' labels (./sanitize-html.js), in the
// shape JupyterLab's renderers ask for instead of JupyterLab's own.
import sanitize from './sanitize-html.js';

export class Sanitizer {
  // `options` as JupyterLab's renderers give them: the tags (and attributes) to keep.
  sanitize(dirty, options = {}) {
    return sanitize(dirty, options);
  }

  getAutolink() { return true; }

  get allowNamedProperties() { return false; }
}
