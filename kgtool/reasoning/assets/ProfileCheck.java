// kgtool: the OWL 2 DL profile check of one ontology document, with the OWL API that ships inside HermiT.jar
// (owlready2's copy). Run as a single-file program: java -cp HermiT.jar ProfileCheck.java FILE
// Prints one line per violation and exits 0 when the document is in OWL 2 DL, 1 when it is not, 2 on unusable
// input. The document must not import anything: kgtool merges the modules (imports resolved locally) first.
import java.io.File;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) {
        try {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation violation : report.getViolations()) {
                System.out.println(violation.toString().replaceAll("\\s+", " ").trim());
            }
            System.exit(report.isInProfile() ? 0 : 1);
        } catch (Exception error) {
            System.err.println(error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage()).replaceAll("\\s+", " "));
            System.exit(2);
        }
    }
}
