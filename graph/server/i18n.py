"""Interface strings of the web app in English, French and German (names come from the data itself)."""

from __future__ import annotations

__all__ = ["LANGS", "UI", "text"]

LANGS = ("en", "fr", "de")

UI = {
    "title": ("coopmap: who works with whom against trafficking", "coopmap : qui coopère avec qui contre la traite",
              "coopmap: wer mit wem gegen Menschenhandel zusammenarbeitet"),
    "nav_contact": ("Who to contact", "Qui contacter", "Wen kontaktieren"),
    "nav_actors": ("Actors", "Acteurs", "Akteure"),
    "nav_maps": ("Maps", "Cartes", "Karten"),
    "nav_gaps": ("Gaps", "Lacunes", "Lücken"),
    "nav_centrality": ("Centrality", "Centralité", "Zentralität"),
    "nav_sparql": ("SPARQL", "SPARQL", "SPARQL"),
    "nav_data": ("Data", "Données", "Daten"),
    "search": ("Search", "Rechercher", "Suchen"),
    "search_label": ("Name or acronym, in any language", "Nom ou sigle, dans toute langue",
                     "Name oder Abkürzung, in jeder Sprache"),
    "from": ("Who is asking (you)", "Qui demande (vous)", "Wer fragt (Sie)"),
    "need": ("What is needed", "Ce qu'il faut", "Was gebraucht wird"),
    "when": ("When", "Quand", "Wann"),
    "victim": ("Presumed victim", "Victime présumée", "Mutmaßliches Opfer"),
    "nationality": ("Nationality", "Nationalité", "Staatsangehörigkeit"),
    "exploitation": ("Form of exploitation", "Forme d'exploitation", "Form der Ausbeutung"),
    "cooperates": ("Cooperates with the authorities", "Coopère avec les autorités", "Kooperiert mit den Behörden"),
    "region": ("Where the request goes", "Où va la demande", "Wohin die Anfrage geht"),
    "as_of": ("As of (date)", "À la date du", "Stand (Datum)"),
    "any": ("any / not stated", "indifférent / non précisé", "egal / nicht angegeben"),
    "ask": ("Show who to contact", "Montrer qui contacter", "Zeigen, wen kontaktieren"),
    "explain": ("Explain: every step, its legal basis and sources", "Expliquer : chaque étape, sa base légale et ses sources",
                "Erklären: jeder Schritt, seine Rechtsgrundlage und Quellen"),
    "route_map": ("The route on the map", "Le trajet sur la carte", "Der Weg auf der Karte"),
    "hops": ("hop(s)", "étape(s)", "Schritt(e)"),
    "unreachable": ("Not reachable from here", "Injoignables d'ici", "Von hier nicht erreichbar"),
    "level": ("Level", "Niveau", "Ebene"),
    "kind": ("Kind", "Type", "Art"),
    "mandate": ("Mandate", "Mandat", "Mandat"),
    "links": ("Links", "Liens", "Verbindungen"),
    "sources": ("Sources", "Sources", "Quellen"),
    "neighbourhood": ("Neighbourhood map", "Carte du voisinage", "Karte der Umgebung"),
    "download_map": ("Download the offline map (one HTML file)", "Télécharger la carte hors ligne (un fichier HTML)",
                     "Offline-Karte herunterladen (eine HTML-Datei)"),
    "not_found": ("Not found", "Introuvable", "Nicht gefunden"),
    "did_you_mean": ("Did you mean", "Vouliez-vous dire", "Meinten Sie"),
    "run": ("Run the query", "Exécuter la requête", "Abfrage ausführen"),
    "examples": ("Example queries", "Requêtes d'exemple", "Beispielabfragen"),
    "download": ("Download", "Télécharger", "Herunterladen"),
    "path_to": ("Path to", "Chemin vers", "Weg zu"),
    "show_path": ("Show the path", "Montrer le chemin", "Weg zeigen"),
    "case": ("The case (optional)", "Le cas (facultatif)", "Der Fall (optional)"),
    "name": ("Name", "Nom", "Name"),
    "memberships": ("Memberships", "Appartenances", "Mitgliedschaften"),
    "reach": ("How to reach them", "Comment les joindre", "Wie man sie erreicht"),
    "instruments": ("Legal instruments", "Instruments juridiques", "Rechtsinstrumente"),
    "figures": ("Figures", "Chiffres", "Zahlen"),
    "condition": ("condition", "condition", "Bedingung"),
    "legal_basis": ("legal basis", "base légale", "Rechtsgrundlage"),
    "not_stated": ("not stated in the sources", "non précisée dans les sources", "in den Quellen nicht angegeben"),
    "crime_areas": ("crime areas", "domaines criminels", "Kriminalitätsbereiche"),
    "part_of": ("part of", "fait partie de", "Teil von"),
    "units": ("units", "unités", "Einheiten"),
    "actors_count": ("actor(s)", "acteur(s)", "Akteur(e)"),
}


def text(key: str, lang: str = "en") -> str:
    """The interface string ``key`` in ``lang`` (English when unknown)."""
    values = UI.get(key)
    if values is None:
        return key
    return values[LANGS.index(lang) if lang in LANGS else 0]
