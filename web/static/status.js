(function(){
"use strict";
var T=window.T,$=function(i){return document.getElementById(i)},es=null,delay=1000;
function esc(s){return String(s==null?"":s).replace(/[&<>"]/g,function(c){return{"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]})}
function en(o,k){return T.lang=="en"?o[k+"_en"]||o[k]:o[k]}
function render(d){
  var h="";
  if(!d.calls.length)h="<p class=muted>"+esc(T.no_calls)+"</p>";
  else{h="<table class=calls>";d.calls.forEach(function(c){h+="<tr><td><div class=code>"+esc(c.code)+"</div></td><td class=n>"+esc(c.counter_name)+(c.zone?"<div class=muted>"+esc(c.zone)+"</div>":"")+"</td></tr>"});h+="</table>"}
  $("calls").innerHTML=h;h="";
  d.agencies.forEach(function(a){
    h+="<div class=card><div class=ag style='border-color:"+esc(a.color)+"'><span>"+esc(en(a,"name"))+"</span><span class=muted>"+a.waiting+" "+esc(T.waiting_total)+"</span></div><table>";
    a.services.forEach(function(s){
      var r=s.available?(s.estimated_wait_minutes==null?esc(T.no_counter):s.waiting==0?esc(T.no_queue):"± "+s.estimated_wait_minutes+" "+esc(T.minutes)):esc(en(s,"unavailable_reason")||T.closed);
      h+="<tr><td>"+esc(en(s,"name"))+"<div class=muted>"+r+"</div></td><td class=n>"+s.waiting+"</td></tr>"});
    h+="</table></div>"});
  $("agencies").innerHTML=h;$("total").textContent=d.waiting;
  $("updated").textContent=T.updated+" "+new Date(d.at).toLocaleTimeString(T.lang=="en"?"en-GB":"id-ID",{hour:"2-digit",minute:"2-digit"});
}
function live(on){document.body.setAttribute("data-live",on?"1":"0");$("conn").textContent=on?T.live:T.reconnecting}
function connect(){
  if(es)es.close();es=new EventSource("/events");
  es.onopen=function(){delay=1000;live(true)};
  es.onmessage=function(e){try{render(JSON.parse(e.data))}catch(x){}};
  es.onerror=function(){live(false);if(es.readyState===2){es=null;setTimeout(connect,delay);delay=Math.min(delay*2,15000)}};
}
document.addEventListener("visibilitychange",function(){if(!document.hidden&&(!es||es.readyState===2))connect()});
render(window.D);connect();
})();
