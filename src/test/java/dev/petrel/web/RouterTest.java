package dev.petrel.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router()
            .get("/admin/v1/queue", Route.Access.ADMIN, x -> Answer.noContent())
            .get("/admin/v1/queue/summary", Route.Access.ADMIN, x -> Answer.noContent())
            .get("/admin/v1/queue/{id}", Route.Access.ADMIN, x -> Answer.noContent())
            .delete("/admin/v1/queue/{id}", Route.Access.ADMIN, x -> Answer.noContent())
            .delete("/admin/v1/users/{address}", Route.Access.ADMIN, x -> Answer.noContent());

    @Test
    void aTemplateParameterTakesOneSegment() {
        Router.Found f = assertInstanceOf(Router.Found.class, router.match("GET", "/admin/v1/queue/ABCDEFGH"));
        assertEquals(Map.of("id", "ABCDEFGH"), f.parameters());
        assertInstanceOf(Router.NoRoute.class, router.match("GET", "/admin/v1/queue/ABCDEFGH/more"));
    }

    @Test
    void aLiteralPathWinsOverATemplate() {
        Router.Found f = assertInstanceOf(Router.Found.class, router.match("GET", "/admin/v1/queue/summary"));
        assertEquals("/admin/v1/queue/summary", f.route().template());
    }

    @Test
    void aLiteralPathWinsOverATemplateAddedBeforeIt() {
        Router both = new Router()
                .post("/v1/messages/{id}", Route.Access.SENDER, x -> Answer.noContent())
                .post("/v1/messages/batch", Route.Access.SENDER, x -> Answer.noContent());
        Router.Found f = assertInstanceOf(Router.Found.class, both.match("POST", "/v1/messages/batch"));
        assertEquals("/v1/messages/batch", f.route().template());
        assertEquals(Map.of(), f.parameters());
        Router.Found t = assertInstanceOf(Router.Found.class, both.match("POST", "/v1/messages/raw"));
        assertEquals(Map.of("id", "raw"), t.parameters());
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithTheMethodsItHas() {
        Router.WrongMethod w = assertInstanceOf(Router.WrongMethod.class, router.match("POST", "/admin/v1/queue/X1234567"));
        assertEquals(List.of("DELETE", "GET"), w.allowed());
    }

    @Test
    void aLiteralPathOffersOnlyItsOwnMethods() {
        Router.WrongMethod w = assertInstanceOf(Router.WrongMethod.class, router.match("PUT", "/admin/v1/queue/summary"));
        assertEquals(List.of("GET"), w.allowed());
    }

    @Test
    void anUnknownPathIs404AndHeadIsAnsweredAsGet() {
        assertInstanceOf(Router.NoRoute.class, router.match("GET", "/nothing"));
        assertInstanceOf(Router.Found.class, router.match("HEAD", "/admin/v1/queue"));
    }

    @Test
    void parametersArePercentDecodedAndAPlusStaysAPlus() {
        Router.Found f = assertInstanceOf(Router.Found.class,
                router.match("DELETE", "/admin/v1/users/a+tag%40example.com"));
        assertEquals("a+tag@example.com", f.parameters().get("address"));
    }
}
