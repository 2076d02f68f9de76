const DATA = JSON.parse(document.getElementById('data').textContent);
const panel = document.getElementById('detail');
const PANEL_WIDTH = 520;
function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
function chip(id){const c=DATA.cells[id];const t=c?`${c.row_label} / ${c.column_label} = ${c.shown||'空白'}`:id;
  return `<a class="chip" href="#cell=${esc(id)}" data-goto="${esc(id)}">${esc(t)}</a>`;}
function crop(part, captioned){
  const page = DATA.pages[String(part.page)];
  if(!page || !(part.box_px || part.cell_px)) return `<div class="caption">第 ${part.page} 页 page ${part.page}</div>`;
  const target = part.cell_px || part.box_px, mark = part.box_px || part.cell_px;
  // A window around the cell: wide enough for its neighbours, at most the panel's width at 0.8x.
  const width = Math.min(page.width, Math.max(PANEL_WIDTH/0.8, target[2]-target[0]+120));
  const centre = (target[0]+target[2])/2;
  const x0 = Math.max(0, Math.min(page.width-width, centre-width/2)), x1 = x0+width;
  const pad = 90, y0 = Math.max(0, target[1]-pad), y1 = Math.min(page.height, target[3]+pad);
  const k = Math.min(1, PANEL_WIDTH/(x1-x0));
  const at = b => `left:${(b[0]-x0)*k}px;top:${(b[1]-y0)*k}px;width:${(b[2]-b[0])*k}px;height:${(b[3]-b[1])*k}px`;
  let out = `<div class="crop" style="width:${(x1-x0)*k}px;height:${(y1-y0)*k}px">`+
    `<img alt="page ${part.page}" src="${page.src}" style="width:${page.width*k}px;left:${-x0*k}px;top:${-y0*k}px">`;
  if(part.cell_px) out += `<div class="cellbox" style="${at(part.cell_px)}"></div>`;
  out += `<div class="box" data-page="${part.page}" data-box="${(part.box||part.cell||[]).join(',')}" style="${at(mark)}"></div></div>`;
  return (captioned?`<div class="caption">续 continued: 第 ${part.page} 页 page ${part.page}</div>`:'') + out;
}
function evidence(ev){
  if(!ev) return '<p class="hint">没有可指向的来源。Nothing printed to point at.</p>';
  if(ev.type==='lines') return `<div class="caption">${esc(ev.caption)}</div><pre class="src">${esc(ev.before)}<mark class="src-mark">${esc(ev.mark)}</mark>${esc(ev.after)}</pre>`;
  if(ev.type==='row') return `<div class="caption">${esc(ev.caption)}</div><table class="srcrow"><tr>${ev.cells.map((t,i)=>`<td class="${i===ev.mark?'src-mark':''}">${esc(t)}</td>`).join('')}</tr></table>`;
  if(ev.type==='pdf') return `<div class="caption">${esc(ev.caption)}</div>` + ev.parts.map((p,i)=>crop(p,i>0)).join('');
  if(ev.type==='inferred') return `<p>原文丢失，由等式推算 Lost in the source, computed from the identity <code>${esc(ev.identity||'')}</code> with:</p><div>${(ev.from||[]).map(chip).join('')}</div>`;
  if(ev.type==='printed') return `<p>该行印出的数值（读法待定）The values its row printed (the reading is not settled):</p>` + ev.items.map(evidence).join('');
  if(ev.type==='note') return `<div class="caption">${esc(ev.caption)}</div>`;
  return '<p class="hint">原文丢失 The text was lost in the source.</p>';
}
function highlight(ids){
  document.querySelectorAll('td.c.group').forEach(td=>td.classList.remove('group'));
  (ids||[]).forEach(id=>{const td=document.querySelector(`td.c[data-cell="${CSS.escape(id)}"]`); if(td) td.classList.add('group');});
}
function show(id, scroll){
  const c = DATA.cells[id]; if(!c) return;
  document.querySelectorAll('td.c.selected').forEach(td=>td.classList.remove('selected'));
  const td = document.querySelector(`td.c[data-cell="${CSS.escape(id)}"]`);
  if(td){td.classList.add('selected'); if(scroll) td.scrollIntoView({block:'nearest'});}
  const [zh, en] = DATA.states[c.state] || [c.state, ''];
  let html = `<h3>${esc(c.row_label)} / ${esc(c.column_label)}</h3><div class="caption">${esc(c.en)}</div><dl>`+
    `<dt>键 key</dt><dd><code>${esc(c.id)}</code></dd>`+
    `<dt>数值 value</dt><dd id="cell-value">${c.value===null?'—':esc(c.shown)}</dd>`+
    `<dt>原文 raw</dt><dd id="cell-raw">${esc(c.raw)}</dd>`+
    `<dt>读取 read</dt><dd><span class="key s-${c.state}">${esc(zh)}</span> ${esc(en)}${c.failed?' · <span class="key failed">核对未通过 in a failed check</span>':''}</dd>`;
  if(c.confidence!==null && c.confidence!==undefined) html += `<dt>OCR</dt><dd>置信度 confidence ${c.confidence}${c.doubt?' · '+esc(c.doubt):''}</dd>`;
  html += `<dt>位置 locator</dt><dd><code>${esc(c.locator)}</code></dd></dl>` + evidence(c.evidence);
  panel.innerHTML = html;
  panel.dataset.cell = id;
  if(location.hash !== '#cell='+id) history.replaceState(null, '', '#cell='+id);
}
document.addEventListener('click', e=>{
  const td = e.target.closest('td.c'); if(td){show(td.dataset.cell, false); return;}
  const go = e.target.closest('[data-goto]');
  if(go){e.preventDefault(); const group = (go.closest('[data-cells]')||go).dataset.cells;
    highlight(group?group.split(' '):[go.dataset.goto]); show(go.dataset.goto, true);}
});
document.addEventListener('keydown', e=>{if(e.key==='Enter'&&e.target.matches('td.c')) show(e.target.dataset.cell,false);});
function fromHash(){const m = location.hash.match(/^#cell=(.+)$/); if(m) show(decodeURIComponent(m[1]), true);}
window.addEventListener('hashchange', fromHash);
fromHash();
