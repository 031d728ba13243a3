// The console's only static assets, served from /console/assets/ (the CSP allows no inline script or
// style): one stylesheet, and a small script that adds copy buttons (the page works without it).

export const CONSOLE_CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d8dce4;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--bad:#b3261e;--ok:#1e7b3c;--warn:#8a5a00;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}body{margin:0;line-height:1.45;font-size:15px}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:9}
header.top{background:#17202f;color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;padding:10px 16px}
header.top .brand{font-weight:700;color:#fff;text-decoration:none;margin-right:8px}
header.top nav{display:flex;flex-wrap:wrap;gap:4px 14px;flex:1}
header.top nav a{color:#dbe6ff;text-decoration:none;padding:4px 0}header.top nav a[aria-current=page]{color:#fff;border-bottom:2px solid #f0b400}
header.top form{margin:0}header.top button{background:transparent;color:#dbe6ff;border:1px solid #5a6a88;border-radius:6px;padding:4px 10px;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:.2em 0 .6em}h2{font-size:1.1rem;margin:1.4em 0 .5em}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;background:var(--card)}
main>.table-wrap{border:1px solid var(--line);border-radius:10px;padding:4px 8px;background:var(--card)}
th,td{text-align:start;padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:.82rem;color:var(--muted);font-weight:600}
td[dir=auto],dd[dir=auto],h1[dir=auto]{text-align:left}
td.num,th.num{text-align:end;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:999px;padding:1px 8px;font-size:.8rem;border:1px solid var(--line);background:#eef1f6}
.badge.failure,.badge.dead,.badge.failed,.badge.failing{background:#fde8e7;border-color:#f2b8b5;color:var(--bad)}
.badge.success,.badge.succeeded,.badge.created,.badge.ok{background:#e5f4ea;border-color:#a8d5b5;color:var(--ok)}
.badge.retry,.badge.pending,.badge.duplicate,.badge.sending,.badge.warning,.badge.running{background:#fff4dc;border-color:#f0d08a;color:var(--warn)}
form.stack{display:grid;gap:10px;max-width:520px}form.inline{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end}
label{display:grid;gap:3px;font-size:.88rem;font-weight:600}label.check{display:flex;align-items:center;gap:8px;font-weight:500}
input,select,textarea{font:inherit;padding:7px 9px;border:1px solid #b9c0cc;border-radius:6px;background:#fff;min-width:0;width:100%}
input[type=checkbox]{width:auto}form.inline label{flex:1 1 150px}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--bad)}
label .muted{font-weight:400;font-size:.82rem}
.field-error{color:var(--bad);font-size:.84rem;font-weight:500}
button,.button{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:8px 14px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#e8ecf3;color:var(--fg);border:1px solid #c5ccd8}
.notice{border-radius:8px;padding:10px 12px;margin:0 0 14px;border:1px solid #a8d5b5;background:#e9f6ee}
.notice.error{border-color:#f2b8b5;background:#fdeceb}
.notice.info{border-color:var(--line);background:#fff}
.muted{color:var(--muted)}.empty{color:var(--muted);padding:18px;text-align:center;border:1px dashed var(--line);border-radius:10px;background:#fff}
.pager{display:flex;gap:12px;margin:12px 0}
dl.facts{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:4px 14px;margin:0}dl.facts dt{color:var(--muted);overflow-wrap:anywhere}dl.facts dd{margin:0;overflow-wrap:anywhere}
.badge.test{background:#efe7fb;border-color:#cdb8ee;color:#5b2a9a}.count{margin:0 0 8px}
pre{background:#0f1623;color:#e3e9f5;padding:12px;border-radius:8px;overflow:auto;max-height:420px;font-size:.82rem;white-space:pre-wrap;overflow-wrap:anywhere}
ul.groups{list-style:none;padding:0;margin:0}ul.groups>li{border-top:1px solid var(--line);padding:8px 0}ul.groups>li:first-child{border-top:0}ul.groups p{margin:0 0 6px;overflow-wrap:anywhere}
.url{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0 0 10px}.url code{overflow-wrap:anywhere;background:#eef1f6;padding:4px 6px;border-radius:4px;flex:1 1 240px}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.signin{max-width:380px;margin:10vh auto}
.switch{display:flex;gap:6px;margin:0 0 12px}.switch a{padding:4px 10px;border:1px solid var(--line);border-radius:999px;text-decoration:none}.switch a[aria-current=page]{background:var(--accent);border-color:var(--accent);color:#fff}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px 20px;margin:0 0 14px}.figures dt{font-size:.82rem;color:var(--muted)}.figures dd{margin:0;font-size:1.3rem;font-weight:600;font-variant-numeric:tabular-nums}
.chart{margin:0 0 8px}.chart>svg{display:block;width:100%;max-width:480px;height:auto}
.chart .axis{stroke:var(--line)}.chart .tick{font-size:13px;fill:var(--muted)}
.bar-primary{fill:var(--accent)}.bar-secondary{fill:#a9c3ea}
.chart figcaption{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:.85rem;color:var(--muted);margin-bottom:4px}.chart-title{flex-basis:100%;font-weight:600;color:var(--fg)}
.legend{display:inline-flex;align-items:center;gap:5px}.swatch{width:10px;height:10px}
.speed details{margin:8px 0 4px}.speed caption{text-align:start;font-weight:600;padding:14px 0 4px}.speed tbody th{font-size:inherit;color:inherit;font-weight:500}
@media (max-width:600px){main{padding:10px}th,td{padding:6px 5px}.hide-narrow{display:none}
dl.facts{grid-template-columns:minmax(0,1fr);gap:0}dl.facts dt{font-size:.82rem;margin-top:8px}dl.facts dt:first-child{margin-top:0}
.stack-narrow thead{display:none}table.stack-narrow,.stack-narrow table,.stack-narrow tbody,.stack-narrow tr,.stack-narrow td{display:block;width:100%}
.stack-narrow tr{border-bottom:1px solid var(--line);padding:6px 0}.stack-narrow td{border:0;padding:3px 0;text-align:left}.stack-narrow td.hide-narrow{display:block}.stack-narrow td:empty{display:none}
.stack-narrow td[data-label]::before{content:attr(data-label);display:block;font-size:.82rem;color:var(--muted);font-weight:600}}
`;

export const CONSOLE_JS = `
// Progressive enhancement: a Copy button next to every [data-copy] text (works without JS too).
document.querySelectorAll("[data-copy]").forEach(function (el) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy " + (el.getAttribute("data-copy") || "text"));
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    }, function () { button.textContent = "Copy failed"; });
  });
  el.after(button);
});
`;
