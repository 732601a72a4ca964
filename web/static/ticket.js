(function(){
"use strict";
var T=window.T,S=window.S,TOKEN=window.TOKEN,$=function(i){return document.getElementById(i)};
var es=null,delay=1000,audio=null;
var acked=null;try{acked=localStorage.getItem("ack:"+TOKEN)}catch(e){}
function txt(i,v){var el=$(i);if(el)el.textContent=v==null?"":v}
function where(s){return s.counter_name+(s.zone?" ("+s.zone+")":"")}
function render(s){
  S=s;txt("code",s.code);txt("service",T.lang=="en"?s.service_name_en:s.service_name);
  txt("agency",T.lang=="en"?s.agency_name_en:s.agency_name);
  var st=$("status");st.textContent=T["status_"+s.status]||s.status;st.setAttribute("data-s",s.status);
  var w=s.status=="waiting",open=w||s.status=="called";$("waitbox").hidden=!w;$("sound").hidden=$("hint").hidden=!open;
  if(w){txt("ahead",s.ahead);txt("wait",s.estimated_wait_minutes==null?T.no_counter:"± "+s.estimated_wait_minutes+" "+T.minutes)}
  var m="";
  if(s.status=="called")m=T.go_to+" "+where(s);
  else if(s.status=="serving"||s.status=="held")m=T.serving_help+" "+where(s);
  else if(s.status=="no_show")m=T.no_show_help;
  else if(s.status=="done")m=T.done_help;
  txt("msg",m);
  try{document.dispatchEvent(new CustomEvent("ticket",{detail:s}))}catch(e){}
  if(s.status=="called"&&s.call_key&&s.call_key!==acked)alertCall(s);
  else if(s.status!="called")$("overlay").hidden=true;
}
function alertCall(s){
  txt("ov-title",s.recall_count>0?T.recalled:T.your_number);txt("ov-code",s.code);txt("ov-to",s.counter_name);
  txt("ov-zone",s.zone||"");var o=$("overlay");o.hidden=false;o.querySelector(".c").className="c pulse";
  try{navigator.vibrate&&navigator.vibrate([500,200,500,200,900])}catch(e){}
  chime();
}
function chime(){
  // Without a tap on the page first, most browsers keep the sound off: then this stays silent.
  try{var a=audio||(audio=new (window.AudioContext||window.webkitAudioContext)());
    [[880,0],[660,.35],[880,.7],[660,1.05]].forEach(function(n){var o=a.createOscillator(),g=a.createGain();
      o.frequency.value=n[0];o.connect(g);g.connect(a.destination);var t=a.currentTime+n[1];
      g.gain.setValueAtTime(.0001,t);g.gain.exponentialRampToValueAtTime(.5,t+.03);g.gain.exponentialRampToValueAtTime(.0001,t+.32);
      o.start(t);o.stop(t+.33)})}catch(e){}
}
$("ov-ok").onclick=function(){$("overlay").hidden=true;acked=S.call_key;try{localStorage.setItem("ack:"+TOKEN,acked)}catch(e){}};
$("sound").onclick=function(){try{audio=audio||new (window.AudioContext||window.webkitAudioContext)();audio.resume()}catch(e){}
  try{navigator.vibrate&&navigator.vibrate(80)}catch(e){}chime();this.textContent=T.sound_is_on;this.className="ghost"};
function live(on){document.body.setAttribute("data-live",on?"1":"0");txt("conn",on?T.live:T.reconnecting)}
function connect(){
  if(es)es.close();
  es=new EventSource("/t/"+TOKEN+"/events");
  es.onopen=function(){delay=1000;live(true)};
  es.onmessage=function(e){try{render(JSON.parse(e.data))}catch(x){}};
  es.addEventListener("gone",function(){es.close();es=null;location.reload()});
  es.onerror=function(){live(false);
    // The browser retries by itself unless the answer was an error (e.g. a proxy's 502): then we do.
    if(es.readyState===2){es=null;setTimeout(connect,delay);delay=Math.min(delay*2,15000)}};
}
document.addEventListener("visibilitychange",function(){if(!document.hidden&&(!es||es.readyState===2))connect()});
window.addEventListener("online",function(){if(!es||es.readyState===2)connect()});
render(S);connect();
})();
