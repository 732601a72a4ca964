(function(){
"use strict";
// The IKM survey once the ticket is finished: one touch for the overall rating, then optionally every
// element. Sent once (the server keeps one survey per ticket); a rating not sent yet goes when the
// countdown ends or the page is hidden.
var T=window.T,V=window.V,TOKEN=window.TOKEN,box=document.getElementById("survey");
if(!V||!box)return;
var KEY="ikm:"+TOKEN,overall=null,answers={},stage="",timer=null,left=0,sending=false;
try{if(localStorage.getItem(KEY))V.done=true}catch(e){}
function f(s,n){return s.replace("{n}",n)}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function btn(text,cls,fn){var b=el("button",cls,text);b.type="button";b.onclick=fn;return b}
function words(){return T.lang=="en"?V.answers_en:V.answers}
function scale(chosen,pick,name){
  var row=el("div","scale");row.setAttribute("role","group");if(name)row.setAttribute("aria-label",name);
  words().forEach(function(w,i){var n=i+1,b=btn(w,"a"+Math.min(4,Math.ceil(n*4/V.scale))+(chosen===n?" on":""),function(){pick(n)});
    b.setAttribute("aria-pressed",chosen===n?"true":"false");row.appendChild(b)});
  return row}
function stop(){if(timer){clearInterval(timer);timer=null}}
function show(st){
  stage=st;box.hidden=false;box.textContent="";
  if(st=="ask"){box.appendChild(el("h2","",T.survey_ask));box.appendChild(scale(overall,function(n){overall=n;show("rated")},T.survey_ask))}
  else if(st=="rated"){
    box.appendChild(el("h2","",T.survey_ask));box.appendChild(scale(overall,function(n){overall=n;show("rated")},T.survey_ask));
    box.appendChild(el("p","",T.survey_rated));
    box.appendChild(btn(f(T.survey_more,V.elements.length),"",function(){stop();show("full")}));
    box.appendChild(btn(T.survey_send,"ghost",send));
    var auto=el("p","muted");box.appendChild(auto);
    stop();left=20;auto.textContent=f(T.survey_auto,left);
    timer=setInterval(function(){left--;auto.textContent=f(T.survey_auto,left);if(left<=0){stop();send()}},1000)}
  else if(st=="full"){
    box.appendChild(el("h2","",T.survey_full));
    V.elements.forEach(function(x){var d=el("div","el"),name=T.lang=="en"?x.name_en:x.name;d.appendChild(el("b","",name));
      d.appendChild(scale(answers[x.code]||null,function(n){answers[x.code]=n;var y=window.scrollY;show("full");window.scrollTo(0,y)},name));box.appendChild(d)});
    var missing=V.elements.filter(function(x){return !answers[x.code]}).length;
    var go=btn(T.survey_send,"",send);go.disabled=missing>0;if(missing){go.style.opacity=".5"}box.appendChild(go);
    if(missing)box.appendChild(el("p","muted",f(T.survey_left,missing)));
    box.appendChild(btn(T.survey_only,"ghost",function(){answers={};send()}))}
  else if(st=="thanks"){box.appendChild(el("p","msg",T.survey_thanks))}
  else if(st=="done"){box.appendChild(el("p","msg",T.survey_done))}
  else if(st=="failed"){box.appendChild(el("p","msg",T.survey_failed));box.appendChild(btn(T.survey_retry,"",send))}
}
function body(){
  var b={overall:overall},all=V.elements.every(function(x){return answers[x.code]});
  if(all){b.answers={};V.elements.forEach(function(x){b.answers[x.code]=answers[x.code]})}
  return JSON.stringify(b)}
function finish(st){stop();V.done=true;try{localStorage.setItem(KEY,"1")}catch(e){}show(st)}
function send(){
  if(sending||V.done||overall==null)return;sending=true;stop();
  fetch("/api/v1/tickets/"+TOKEN+"/survey",{method:"POST",headers:{"Content-Type":"application/json"},body:body(),keepalive:true})
    .then(function(r){return r.json().catch(function(){return {}}).then(function(j){
      sending=false;
      if(r.ok)finish("thanks");
      else if(j.error&&j.error.code=="surveyed")finish("done");
      else show("failed")})})
    .catch(function(){sending=false;show("failed")})}
function update(s){
  if(s.status!="done"){if(!V.done){box.hidden=true;stage=""}return}
  if(V.done){if(!stage)show("done");return}
  if(!stage)show("ask")}
document.addEventListener("ticket",function(e){update(e.detail)});
// A rating chosen and not sent yet goes when the citizen leaves the page.
document.addEventListener("visibilitychange",function(){if(document.hidden&&overall!=null&&!V.done&&stage!="full")send()});
window.addEventListener("pagehide",function(){if(overall!=null&&!V.done)send()});
update(window.S);
})();
