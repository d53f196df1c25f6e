// Plays an HLS stream in a <video>: through hls.js where the browser has Media Source
// Extensions (Chromium, Firefox, Android browsers), natively where it plays HLS itself
// (Safari on iPhone). Media errors are recovered and segment loads retried; a playlist that
// cannot be loaded (a live one appears only a segment after the encoder connects) and other
// fatal errors stop the player and reach onError, so the caller can try again later.
// `config` goes to hls.js (a streamer's preview keeps closer to the live edge).
import Hls from "hls.js";

const PLAYLIST_ERRORS = [
  Hls.ErrorDetails.MANIFEST_LOAD_ERROR,
  Hls.ErrorDetails.MANIFEST_LOAD_TIMEOUT,
  Hls.ErrorDetails.MANIFEST_PARSING_ERROR,
];

export function playHls(video, src, { onError = () => {}, config = {} } = {}) {
  if (Hls.isSupported()) {
    const hls = new Hls(config);
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      const playlist = PLAYLIST_ERRORS.includes(data.details);
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && !playlist) hls.startLoad();
      else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else { hls.destroy(); onError(data); }
    });
    hls.loadSource(src);
    hls.attachMedia(video);
    return { hls, stop: () => hls.destroy() };
  }
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = src;
    return { hls: null, stop: () => { video.removeAttribute("src"); video.load(); } };
  }
  onError({ type: "unsupported" });
  return { hls: null, stop: () => {} };
}
