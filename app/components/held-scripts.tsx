/**
 * The citizen's pages load their scripts on the first touch, key press or scroll, not with the page
 * (ADR 0064). They work without JavaScript, so the script only enhances a page the citizen already sees
 * and can answer; nothing of it has to come before the first paint on a slow phone.
 *
 * The server holds Remix's module script and its module preloads back (app/domain/survey/held-scripts.ts):
 * a browser neither fetches nor runs them. The small inline script below gives them their names back when
 * the citizen first acts, or at once when the page's first screen needs the script: the page asks for it
 * (`data-scripts-now`, e.g. one question per screen from a link), or this device kept something for it
 * (`data-scripts-if-kept`: unsent answers, the one-by-one choice).
 *
 * The same elements stay in place, so React hydrates the very DOM the server sent. The module script runs
 * because a script element whose type was unknown when parsed is prepared again when a node is inserted
 * into it (HTML's "prepare the script element"), with the CSP nonce it was parsed with.
 */
import { HELD_PREFIX } from '#app/domain/survey/held-scripts.ts'

/**
 * The loader's events: any sign that someone is using the page. Listened to once, in the capture phase.
 * A pointer move counts only with movement (the loader says why).
 */
const FIRST_ACTS = [
  'pointerdown',
  'pointermove',
  'touchstart',
  'keydown',
  'focusin',
  'scroll',
  'input',
  'change',
  'click',
]

// Plain ES5 that old phones run as is; it is small enough to read here and is sent inline with the page.
// Whether the first screen needs the script asks local storage, whose first read in a page is slow on a
// phone: that runs in a task of its own once the page is parsed, not inside the parser's task, where
// Lighthouse counts it as blocking time.
const LOADER = `(function () {
  var d = document, w = window, started = false, acts = ${JSON.stringify(FIRST_ACTS)};
  function release() {
    var links = d.querySelectorAll('link[rel="${HELD_PREFIX}modulepreload"]');
    for (var i = 0; i < links.length; i++) links[i].rel = 'modulepreload';
    var scripts = d.querySelectorAll('script[type="${HELD_PREFIX}module"]');
    for (var j = 0; j < scripts.length; j++) {
      scripts[j].type = 'module';
      scripts[j].appendChild(d.createTextNode(''));
    }
  }
  function start(e) {
    if (started) return;
    // A browser moves the pointer by itself, without movement, when the page's layout shifts under a
    // resting cursor; only a pointer that really moved is someone using the page.
    if (e && e.type === 'pointermove' && !e.movementX && !e.movementY) return;
    started = true;
    for (var i = 0; i < acts.length; i++) w.removeEventListener(acts[i], start, true);
    if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', release);
    else release();
  }
  function kept(key) {
    try {
      var value = w.localStorage.getItem(key);
      return value !== null && value !== '0';
    } catch (e) {
      return false;
    }
  }
  function needed() {
    if (d.querySelector('[data-scripts-now]') !== null) return true;
    var keys = d.querySelectorAll('[data-scripts-if-kept]');
    for (var k = 0; k < keys.length; k++) {
      var names = keys[k].getAttribute('data-scripts-if-kept').split(' ');
      for (var n = 0; n < names.length; n++) if (names[n] && kept(names[n])) return true;
    }
    return false;
  }
  for (var a = 0; a < acts.length; a++) w.addEventListener(acts[a], start, { capture: true, passive: true });
  setTimeout(function () {
    if (needed()) start();
  }, 0);
})();`

/** The loader, placed after Remix's `<Scripts>` so that the held elements are parsed before it runs. */
export function ScriptsOnFirstAct({ nonce }: { nonce?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of this module, no outside input
  return <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: LOADER }} />
}
