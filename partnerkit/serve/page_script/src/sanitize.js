// How a page makes HTML it cannot trust safe: DOMPurify, a small, widely used sanitizer
// that parses with the browser's own HTML parser, for both who ask.
//
// - ipywidgets' manager calls sanitize-html's function for a widget label given as HTML;
//   the build points the package's name here (package.json's build script). sanitize-html
//   brings its own HTML parser, entity tables and CSS parser: 330 kB of the page's script
//   (28%), compiled by every browser on every first page.
// - JupyterLab's output renderers ask for a `Sanitizer` (./apputils.js gives them this
//   one), should an output ever be untrusted: a page's cell outputs come from the
//   server's own run of the workbook and are trusted.
//
// The options are sanitize-html's: `allowedTags`, and `allowedAttributes` by tag, kept
// here for every allowed tag alike; DOMPurify also drops any link or image address that
// could run script, and keeps `aria-*` attributes.
import DOMPurify from 'dompurify';

export default function sanitize(dirty, options = {}) {
  const config = {};
  if (options.allowedTags) { config.ALLOWED_TAGS = options.allowedTags; }
  if (options.allowedAttributes) {
    config.ALLOWED_ATTR = [...new Set(Object.values(options.allowedAttributes).flat())]
      .filter((name) => !name.includes('*'));
  }
  return DOMPurify.sanitize(String(dirty), config);
}

export class Sanitizer {
  sanitize(dirty, options = {}) { return sanitize(dirty, options); }

  getAutolink() { return true; }

  get allowNamedProperties() { return false; }
}
