// Test-only probe (tests/hardening/test_fourth_pass.py): is each required text really visible in Chromium?
// Sets body[data-probe] to {text: "visible" | why not}.
(function () {
  const need = JSON.parse(document.currentScript.dataset.need);
  function parse(c) { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0,0,0,1];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0],p[1],p[2],p.length>3?p[3]:1]; }
  function lum(c) { const f = v => { v/=255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(c[0]) + 0.7152*f(c[1]) + 0.0722*f(c[2]); }
  function background(el) { for (let e = el; e; e = e.parentElement) { const b = parse(getComputedStyle(e).backgroundColor);
      if (b[3] > 0) return b; } return [255,255,255,1]; }
  function why(node, text) {
    const el = node.parentElement;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) return "not rendered (display, visibility, opacity or content-visibility)";
    const at = node.data.indexOf(text); const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + text.length);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (!rects.length) return "no box";
    const r = rects[0];
    if (r.height < 8) return "too small: " + r.height + "px";
    if (r.right < 0 || r.bottom < 0 || r.left > innerWidth || r.top > innerHeight) return "not on the first screen " + JSON.stringify(r);
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      opacity *= Number(s.opacity);
      if (s.filter !== "none") return "filter " + s.filter;
      if (s.clipPath !== "none") return "clip-path " + s.clipPath;
      if (s.transform !== "none") return "transform " + s.transform;
      if (s.unicodeBidi === "bidi-override") return "bidi-override";
      if (parseFloat(s.letterSpacing) < -1) return "letter-spacing " + s.letterSpacing;
      if (e.getAttribute("aria-hidden") === "true") return "aria-hidden";
      if (s.overflow !== "visible" && e !== document.documentElement && e !== document.body) {
        const b = e.getBoundingClientRect();
        if (r.left >= b.right || r.right <= b.left || r.top >= b.bottom || r.bottom <= b.top) return "clipped by overflow";
      }
    }
    if (opacity < 0.9) return "opacity " + opacity;
    const s = getComputedStyle(el);
    if (s.webkitTextSecurity && s.webkitTextSecurity !== "none") return "text-security " + s.webkitTextSecurity;
    if (parseFloat(s.webkitTextStrokeWidth) > 0.5) return "text-stroke " + s.webkitTextStrokeWidth;
    const bg = background(el);
    for (const c of [s.color, s.webkitTextFillColor]) {
      const fg = parse(c); if (fg[3] < 0.9) return "transparent text " + c;
      const a = lum(fg), b = lum(bg); const ratio = (Math.max(a,b)+0.05)/(Math.min(a,b)+0.05);
      if (ratio < 3) return "contrast " + ratio.toFixed(2);
    }
    const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    if (!hit || !(hit === el || el.contains(hit))) return "covered by " + (hit ? hit.tagName + "." + hit.className : "nothing");
    return "";
  }
  const result = {};
  for (const text of need) {
    const reasons = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let found = false;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest("script") || !n.data.includes(text)) continue;
      const reason = why(n, text); if (!reason) { found = true; break; } reasons.push(reason);
    }
    result[text] = found ? "visible" : (reasons.join("; ") || "missing");
  }
  // The notice comes before the handout's own text (its title), for screen readers and for readers who scroll.
  const heading = document.querySelector("h1");
  const first = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let draft = null;
  for (let n = first.nextNode(); n; n = first.nextNode()) { if (n.data.includes(need[0])) { draft = n; break; } }
  result["before the title"] = !heading || !draft ? "no title or no notice" :
    (heading.compareDocumentPosition(draft) & Node.DOCUMENT_POSITION_PRECEDING ? "visible" : "the title comes first");
  document.body.setAttribute("data-probe", JSON.stringify(result));
})();
