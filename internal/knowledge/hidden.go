package knowledge

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// droppedTags are elements whose content is never document text: code,
// styling, embedded content, navigation and form widgets.
var droppedTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Canvas: true, atom.Audio: true, atom.Video: true,
	atom.Select: true, atom.Textarea: true, atom.Button: true, atom.Nav: true,
	atom.Img: true, atom.Picture: true, atom.Map: true, atom.Frameset: true,
	atom.Input: true, atom.Link: true, atom.Meta: true, atom.Base: true,
}

func droppedElement(n *html.Node) bool {
	if n.DataAtom == 0 {
		// Foreign content (inside <svg> or <math>) keeps its own names.
		return n.Data == "svg" || n.Data == "math" || n.Data == "script" || n.Data == "style"
	}
	return droppedTags[n.DataAtom]
}

func isHidden(n *html.Node) bool {
	if n.DataAtom == atom.Dialog && !hasAttr(n.Attr, "open") {
		return true // a closed dialog is not rendered
	}
	return attrsHidden(n.Attr)
}

func hasAttr(attrs []html.Attribute, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// hiddenClasses are the utility classes of common CSS frameworks that hide
// an element; stylesheets are not evaluated, so these are the best signal
// there is besides inline styles.
var hiddenClasses = map[string]bool{
	"hidden": true, "d-none": true, "invisible": true, "sr-only": true,
	"visually-hidden": true, "screen-reader-text": true, "hide": true,
}

// attrsHidden reports attributes that keep an element from being seen: the
// hidden attribute, aria-hidden="true", a hiding class, or an inline style
// that hides it (display:none, visibility:hidden, zero font size or opacity,
// text colored like its background).
func attrsHidden(attrs []html.Attribute) bool {
	for _, a := range attrs {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "class":
			for _, c := range strings.Fields(a.Val) {
				if hiddenClasses[strings.ToLower(c)] {
					return true
				}
			}
		case "style":
			if hiddenStyle(a.Val) {
				return true
			}
		}
	}
	return false
}

func hiddenStyle(style string) bool {
	var color, background string
	for _, decl := range strings.Split(style, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		val = strings.ToLower(strings.Join(strings.Fields(val), ""))
		val = strings.TrimSuffix(val, "!important")
		switch prop {
		case "display":
			if val == "none" {
				return true
			}
		case "visibility":
			if val == "hidden" || val == "collapse" {
				return true
			}
		case "font-size", "opacity":
			if isZeroLength(val) {
				return true
			}
		case "color":
			color = val
		case "background", "background-color":
			background = val
		}
	}
	return color != "" && color == background
}

// isZeroLength reports "0", "0px", "0.0em", "0%" and the like.
func isZeroLength(val string) bool {
	num := strings.TrimRight(val, "abcdefghijklmnopqrstuvwxyz%")
	if num == "" {
		return false
	}
	return strings.Trim(num, "0.") == "" && strings.ContainsRune(num, '0')
}
