package dev.relaycluster.web;

/** The JavaScript the browser tests run in the page. */
final class PageScripts {
  private PageScripts() {}

  /**
   * Installed before any script of every document: counts fetches in flight and notes when the DOM last changed
   * or a resource (a module, a chart library) last arrived, so a test can wait until the page has its data and
   * has drawn it; and keeps the text of every answer from the relay's JSON APIs (so a test can look for secrets
   * in what the page got). Errors are read from the browser's console log, which outlives the page.
   */
  static final String HOOK = """
      (() => {
        if (window.__relay) return;
        const relay = window.__relay = { answers: [], inFlight: 0, lastChange: Date.now() };
        const touch = () => { relay.lastChange = Date.now(); };
        new MutationObserver(touch).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
        new PerformanceObserver(touch).observe({ type: 'resource', buffered: false });
        const realFetch = window.fetch.bind(window);
        window.fetch = (input, init) => {
          const url = typeof input === 'string' ? input : (input && input.url) || String(input);
          relay.inFlight++;
          relay.lastChange = Date.now();
          const done = () => { relay.inFlight--; relay.lastChange = Date.now(); };
          return realFetch(input, init).then(res => {
            if (/\\/api\\//.test(url) || /apiStats/.test(url)) {
              relay.inFlight++;
              res.clone().text().then(body => relay.answers.push({ url, status: res.status, body }))
                .catch(() => {}).finally(done);
            }
            done();
            return res;
          }, err => { done(); throw err; });
        };
      })();
      """;

  /** True when the page is loaded, no fetch is in flight, and nothing arrived or changed in the last 200 ms. */
  static final String IDLE = """
      const r = window.__relay;
      return document.readyState === 'complete' && !!r && r.inFlight === 0 && Date.now() - r.lastChange > 200;
      """;

  /** Resolves after two animation frames (what the page rendered from its data is laid out). */
  static final String FRAMES = """
      const done = arguments[arguments.length - 1];
      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
      """;

  /**
   * What sticks out to the right of the viewport: the document itself when it scrolls sideways, and every
   * visible element whose right edge is past the viewport and that is not inside a container that scrolls or
   * clips sideways (a table scrolling in its card is fine). The page's own main area does not count as such a
   * container: a page whose whole content scrolls sideways inside it is what this check is for.
   */
  static final String OVERFLOW = """
      const root = document.documentElement;
      const width = root.clientWidth;
      const out = [];
      if (root.scrollWidth > width) out.push('the page scrolls sideways: scrollWidth ' + root.scrollWidth + ' > ' + width);
      const pageLevel = el => el === document.body || el === root || el.tagName === 'MAIN' || el.id === 'view';
      const describe = el => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += '#' + el.id;
        if (el.getAttribute('data-test')) s += '[data-test=' + el.getAttribute('data-test') + ']';
        if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).join('.');
        const words = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
        return words ? s + ' "' + words + '"' : s;
      };
      const clipped = el => {
        for (let p = el.parentElement; p && !pageLevel(p); p = p.parentElement) {
          const x = getComputedStyle(p).overflowX;
          if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
        }
        return false;
      };
      for (const el of document.body.querySelectorAll('*')) {
        if (out.length > 20) break;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || r.right <= width + 0.5) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.position === 'fixed' && r.left >= width) continue;
        if (clipped(el)) continue;
        if (out.some(o => o.el && o.el.contains(el))) continue;
        out.push({ el, text: describe(el) + ' ends at ' + Math.round(r.right) + ' px (viewport ' + width + ')' });
      }
      return out.map(o => typeof o === 'string' ? o : o.text);
      """;

  /** The page as the browser holds it now: the DOM and the values of every field (which the DOM does not show). */
  static final String CONTENT = """
      const values = [...document.querySelectorAll('input, textarea, select')].map(e => e.value).join('\\n');
      return document.documentElement.outerHTML + '\\n' + values + '\\n' + JSON.stringify(sessionStorage)
        + '\\n' + JSON.stringify(localStorage);
      """;
}
