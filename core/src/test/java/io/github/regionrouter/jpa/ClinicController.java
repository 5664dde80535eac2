package io.github.regionrouter.jpa;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Petclinic's pages as plain-text endpoints. With open-in-view every request keeps one EntityManager, and so
 * one routed connection, across its transactions and the lazy collection touched after them.
 */
@RestController
public class ClinicController {

  private final Clinic clinic;

  public ClinicController(Clinic clinic) {
    this.clinic = clinic;
  }

  /** Show owner: a read-only transaction, then the lazy pets outside it. */
  @GetMapping("/owners/{id}")
  public String show(@PathVariable("id") long id) {
    Clinic.Served<Owner> owner = clinic.findOwner(id);
    return owner.value().getName() + " " + owner.value().getPets().size();
  }

  /**
   * Add pet, as petclinic's page does it: read-only look-up, the write, a read-only read that must see the
   * write, then the lazy pets. Answers "seen &lt;pets&gt;" or "stale &lt;pets&gt;".
   */
  @PostMapping("/owners/{id}/pets")
  public String addPet(@PathVariable("id") long id, @RequestParam("name") String name) {
    Clinic.Served<Owner> owner = clinic.findOwner(id);
    long pet = clinic.addPet(id, name).value();
    boolean seen = clinic.sees(pet).value();
    return (seen ? "seen " : "stale ") + owner.value().getPets().size();
  }
}
