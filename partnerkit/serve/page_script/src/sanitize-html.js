// The sanitize-html function that ipywidgets' manager calls (for a widget label given as
// HTML), done by DOMPurify: a small, widely used sanitizer that parses with the
// browser's own HTML parser. sanitize-html brings its own HTML parser, entity tables and
// CSS parser: 330 kB of the page's script (28%), compiled by every browser on every
// first page. The build points the package's name here (package.json's build script).
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
