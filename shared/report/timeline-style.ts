// The timeline page's stylesheet, inline so the page is one self-contained file a ticket can link
// to and a browser can save. Tones: good (green), bad (red), warn (amber), info (slate).
export const timelineStyle = `
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f3f5f8;color:#1f2430}
.good{--c:#1a7f37;--bg:#dafbe1}.bad{--c:#cf222e;--bg:#ffebe9}.warn{--c:#9a6700;--bg:#fff8c5}.info{--c:#57606a;--bg:#eaeef2}.skipped{--c:#8c959f;--bg:#f6f8fa}
header{background:linear-gradient(90deg,#16213a,#23365e);color:#fff;padding:22px 32px 18px}
header .eyebrow{font-size:12px;letter-spacing:.08em;text-transform:uppercase;opacity:.7}
header h1{margin:4px 0 6px;font-size:24px;font-weight:650;display:flex;align-items:center;gap:12px;flex-wrap:wrap}
header .sub{opacity:.85}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:650;letter-spacing:.02em;background:var(--c);color:#fff;vertical-align:middle}
.badge.big{font-size:15px;padding:3px 14px}
.steps{display:flex;margin:0;padding:16px 32px;list-style:none;background:#fff;border-bottom:1px solid #d8dee4;gap:0;overflow-x:auto}
.step{flex:1;min-width:110px;position:relative;text-align:center;padding-top:30px;color:#1f2430}
.step::before{content:"";position:absolute;top:11px;left:-50%;width:100%;height:3px;background:var(--c);opacity:.5}
.step:first-child::before{display:none}
.step .mark{position:absolute;top:0;left:50%;transform:translateX(-50%);width:24px;height:24px;border-radius:50%;background:var(--c);color:#fff;font-size:13px;font-weight:700;line-height:24px;z-index:1}
.step.skipped .mark{background:#fff;border:2px dashed var(--c);color:var(--c);line-height:20px}
.step .name{font-weight:600}.step small{display:block;color:#57606a;font-size:12px}
.outcome{margin:18px 32px 0;padding:12px 16px;border-radius:8px;background:var(--bg);border-left:5px solid var(--c)}
.outcome strong{color:var(--c)}
.grid{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:22px;padding:18px 32px 32px}
.side{position:sticky;top:12px;align-self:start}
@media (max-width:1000px){.grid{grid-template-columns:1fr}.side{position:static}}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 2px #1f243014,0 2px 8px #1f24300d;padding:16px 22px;margin-bottom:22px}
h2{font-size:17px;margin:2px 0 12px;display:flex;align-items:baseline;gap:10px}
h2 .meta{font-weight:400}
h3.phase{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--c);margin:16px 0 8px;display:flex;align-items:center;gap:8px}
h3.phase::after{content:"";flex:1;height:1px;background:#d8dee4}
ul.events{list-style:none;margin:0;padding:0 0 0 16px;border-left:2px solid #d8dee4}
li.ev{position:relative;padding:3px 0 9px 16px}
li.ev .dot{position:absolute;left:-23px;top:8px;width:12px;height:12px;border-radius:50%;background:var(--c);box-shadow:0 0 0 3px #fff}
.row{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.time{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:#57606a}
.type{font-weight:600}
li.ev.bad .type,li.ev.warn .type{color:var(--c)}
.meta{color:#6e7781;font-size:12px}
.summary{color:#32394a;font-size:13px;overflow-wrap:anywhere}
ul.rules{margin:4px 0 0;padding-left:18px;font-size:13px}
ul.rules li{margin:2px 0}ul.rules .fix{color:#57606a}
details{margin-top:2px}
details summary{cursor:pointer;color:#6e7781;font-size:12px}
details pre{background:#f6f8fa;border-radius:6px;padding:8px;font-size:11px;max-height:260px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 16px;margin:0}
dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.totals{margin:0 0 10px;font-weight:600}
.totals .none{color:#8c959f;font-weight:400}.totals .add{color:#1a7f37}.totals .mod{color:#9a6700}.totals .del{color:#cf222e}
h3.target{font-size:13px;color:#57606a;margin:12px 0 4px}
.diff{font:12px/1.55 ui-monospace,SFMono-Regular,Menlo,monospace;border:1px solid #d8dee4;border-radius:6px;overflow:hidden}
.diff div{padding:1px 10px;overflow-wrap:anywhere}
.diff .add{background:#e6ffec;color:#116329}.diff .del{background:#ffebe9;color:#a40e26}.diff .mod{background:#fff8c5;color:#7d4e00}
.diff .attr{padding-left:30px;opacity:.85}
.tampered{margin:0;padding:18px 32px;background:#cf222e;color:#fff;font-size:15px;display:flex;flex-direction:column;gap:4px;border-bottom:4px solid #82071e}
.tampered strong{font-size:20px;letter-spacing:.02em}.tampered code{background:#ffffff26;padding:1px 6px;border-radius:4px}
.next{margin:18px 32px 0;padding:12px 20px;border-radius:8px;background:var(--bg);border:2px solid var(--c)}
.next h2{color:var(--c)}.next ol{margin:0;padding-left:20px}.next li{margin:4px 0}
.next pre{background:#fff;border-radius:6px;padding:8px;margin:6px 0;font-size:13px}
.graph{margin:0 32px 22px}
svg.workflow{display:block;font:11px system-ui,sans-serif}
svg.workflow .edge{stroke:#d0d7de;stroke-width:1.2}svg.workflow .edge.catch{stroke-dasharray:4 3}
svg.workflow .edge.walked{stroke:#0969da;stroke-width:2.5}
svg.workflow .state rect{fill:#f6f8fa;stroke:#d0d7de}svg.workflow .state text{text-anchor:middle;fill:#57606a}
svg.workflow .entered rect{fill:#ddf4ff;stroke:#0969da;stroke-width:2}svg.workflow .entered text{fill:#0a3069;font-weight:600}
svg.workflow .failed rect{fill:#ffebe9;stroke:#cf222e;stroke-width:3}svg.workflow .failed text{fill:#82071e;font-weight:700}
svg.workflow .rollback rect{fill:#fff8c5;stroke:#9a6700;stroke-width:2}svg.workflow .rollback text{fill:#7d4e00;font-weight:600}
svg.workflow .rollback-idle rect{stroke:#d4a72c;stroke-dasharray:3 2}
.key{border-radius:4px;padding:0 6px}.key.entered{background:#ddf4ff}.key.failed{background:#ffebe9}.key.rollback{background:#fff8c5}
footer{color:#6e7781;font-size:12px;padding:0 32px 24px}
nav.pages{margin:8px 0;font-size:13px}nav.pages a{color:#0969da}
`;
