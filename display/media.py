"""The optional media area: images from a folder in turn, videos through Qt Multimedia where it loads.

The folder is read again at every round, so staff can drop new posters in without a restart.
Videos play muted: the loudspeaker belongs to the announcements.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImageReader, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from display import paint

log = logging.getLogger(__name__)
IMAGES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
VIDEOS = {".mp4", ".webm", ".mkv", ".avi", ".mov", ".m4v"}


def media_files(folder: Path, *, videos: bool) -> list[Path]:
    """Images (and videos) in the folder, in name order."""
    kinds = IMAGES | (VIDEOS if videos else set())
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in kinds and p.is_file())
    except OSError:
        return []


class MediaPanel(QWidget):
    """A slideshow of a folder; each image shows for `seconds`, each video to its end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.folder: Path | None = None
        self.seconds = 10.0
        self.current: Path | None = None
        self._playlist: list[Path] = []
        self._index = -1
        self._pixmap: QPixmap | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.advance)
        self._video: object = None
        self._video_widget: QWidget | None = None

    def set_folder(self, folder: str, seconds: float) -> None:
        path = Path(folder).expanduser() if folder else None
        self.seconds = seconds
        if path == self.folder:
            return
        self.folder = path
        self._playlist, self._index = [], -1
        self.advance()

    def _video_player(self) -> object:
        if self._video is None:
            try:
                from PySide6.QtMultimedia import QMediaPlayer
                from PySide6.QtMultimediaWidgets import QVideoWidget
            except ImportError:
                self._video = False
                return False
            self._video_widget = QVideoWidget(self)
            self._video_widget.hide()
            player = QMediaPlayer(self)
            player.setVideoOutput(self._video_widget)
            player.mediaStatusChanged.connect(self._video_status)
            player.errorOccurred.connect(lambda *_: self.advance())
            self._video = player
        return self._video

    def _video_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self.advance()

    def advance(self) -> None:
        """Show the next image or video."""
        self._timer.stop()
        if self._video_widget is not None:
            self._video_widget.hide()
        if self.folder is None:
            self.current, self._pixmap = None, None
            self.update()
            return
        self._index += 1
        if self._index >= len(self._playlist):
            self._playlist = media_files(self.folder, videos=bool(self._video_player()))
            self._index = 0
        if not self._playlist:
            self.current, self._pixmap = None, None
            self._timer.start(int(self.seconds * 1000))  # look again later
            self.update()
            return
        self.current = self._playlist[self._index]
        if self.current.suffix.lower() in VIDEOS:
            self._play_video(self.current)
            return
        self._pixmap = self._load(self.current)
        self._timer.start(int(self.seconds * 1000))
        self.update()

    def _play_video(self, path: Path) -> None:
        player = self._video_player()
        assert player and self._video_widget is not None
        self._pixmap = None
        self._video_widget.setGeometry(self.rect())
        self._video_widget.show()
        player.setSource(QUrl.fromLocalFile(str(path)))  # type: ignore[attr-defined]
        player.play()  # type: ignore[attr-defined]

    def _load(self, path: Path) -> QPixmap | None:
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid() and self.width() > 0 and self.height() > 0:
            # Decode at screen size: a 24-megapixel photo would stall the GUI thread for a moment.
            reader.setScaledSize(size.scaled(QSize(self.width(), self.height()), Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            log.warning("media %s: %s", path, reader.errorString())
            return None
        return QPixmap.fromImage(image)

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        if self._video_widget is not None:
            self._video_widget.setGeometry(self.rect())
        if self.current is not None and self.current.suffix.lower() in IMAGES:
            self._pixmap = self._load(self.current)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(paint.BG))
        r = QRectF(self.rect())
        paint.card(p, r, "#000000", min(r.width(), r.height()) * 0.04)
        if self._pixmap is not None:
            pm = self._pixmap.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
            p.drawPixmap(int((self.width() - pm.width()) / 2), int((self.height() - pm.height()) / 2), pm)
        p.end()

    def stop(self) -> None:
        self._timer.stop()
        if self._video:
            self._video.stop()  # type: ignore[attr-defined]
